// Formatting shared by the CLI and the renderer, so both print the same numbers: thousands
// separators in counts, "−" (U+2212, the minus sign) for negatives, "1 file" / "2 files",
// percentages that never round waste away. Nothing else formats a number for people.
import type { EntryType } from './model.ts';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];
/** The minus sign: typographically right, and the same in the views, the terminal and Markdown. */
const MINUS = '\u2212';

/** 1234567 -> "1,234,567"; −5 -> "−5". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const text = Math.abs(Math.round(n)).toLocaleString('en-US');
  return n < 0 && Math.round(n) !== 0 ? MINUS + text : text;
}

/** "1 file", "12,345 files"; the plural is `${word}s` unless given. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : many}`;
}

/** Decimal units, as `docker images` prints them: 1.83 MB, 812 kB, 42 B, −2.00 kB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const sign = bytes < 0 ? MINUS : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** A size change with an explicit sign: "+1.54 kB", "−20 B", "0 B". */
export function formatDelta(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

/**
 * 0.996 -> "99.6 %". One decimal, more when rounding would hide a difference: a ratio just
 * under 1 never reads "100.0 %" (0.9996 -> "99.96 %") and one just over 0 never reads "0.0 %".
 */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const pct = Math.abs(ratio * 100);
  let digits = 1;
  const hides = (d: number) => {
    const shown = Number(pct.toFixed(d));
    return (shown >= 100 && pct < 100) || (shown === 0 && pct > 0);
  };
  while (digits < 4 && hides(digits)) digits++;
  // Still hidden at 4 digits: truncate toward the true value rather than round onto 100 or 0.
  const factor = 10 ** digits;
  const text = !hides(digits)
    ? pct.toFixed(digits)
    : ((pct > 50 ? Math.floor(pct * factor) : Math.ceil(pct * factor)) / factor).toFixed(digits);
  return `${ratio < 0 && Number(text) !== 0 ? MINUS : ''}${text} %`;
}

/** What the final image saved against a builder: "−99.6 %, 548 MB" (share of the builder, bytes). */
export function formatSaving(saved: number, builderSize: number): string {
  return builderSize > 0 ? `${formatPercentDelta(-saved / builderSize)}, ${formatBytes(saved)}` : formatBytes(saved);
}

/** A change in percent with an explicit sign: "+25.0 %", "−99.6 %", "0.0 %". */
export function formatPercentDelta(ratio: number): string {
  const text = formatPercent(ratio);
  return ratio > 0 && text !== '0.0 %' ? `+${text}` : text;
}

const TYPE_CHAR: Record<EntryType, string> = { file: '-', hardlink: 'h', dir: 'd', symlink: 'l', char: 'c', block: 'b', fifo: 'p' };

/** ls-style mode: 0o4755 on a file -> "-rwsr-xr-x"; a hardlink reads "h" (it is a copy of another path). */
export function formatMode(mode: number, type: EntryType): string {
  const bit = (mask: number, ch: string) => (mode & mask ? ch : '-');
  const special = (exec: number, flag: number, set: string, unset: string) =>
    mode & flag ? (mode & exec ? set : unset) : mode & exec ? 'x' : '-';
  return (
    TYPE_CHAR[type] +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    special(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    special(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    special(0o001, 0o1000, 't', 'T')
  );
}

/** 950 -> "950 ms", 12_300 -> "12.3 s", 125_000 -> "2m 05s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m ${String(s).padStart(2, '0')}s`;
}

/** The label of a stage everywhere (tables, graph, progress): its name, or `stage-N`. */
export function stageLabel(stage: { index: number; name: string | null }): string {
  return stage.name ?? `stage-${stage.index}`;
}

/**
 * A diff's totals with byte sums that match their counts: "+ 2 added" sums the added files,
 * "~ 1 modified" the growth and shrinkage of the modified ones (bytesAdded would mix both).
 */
export function diffTotals(diff: {
  added: { size: number }[];
  removed: { size: number }[];
  modified: { before: number; after: number }[];
}): { added: number; removed: number; modified: number } {
  const sum = (xs: number[]) => xs.reduce((n, x) => n + x, 0);
  return {
    added: sum(diff.added.map((e) => e.size)),
    removed: sum(diff.removed.map((e) => e.size)),
    modified: sum(diff.modified.map((m) => m.after - m.before)),
  };
}
