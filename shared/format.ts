// Formatting shared by the CLI and the renderer, so both print the same numbers.
import type { EntryType } from './model.ts';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Decimal units, as `docker images` prints them: 1.83 MB, 812 kB, 42 B. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** A size change with an explicit sign: "+1.54 kB", "-20 B", "0 B". */
export function formatDelta(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

const TYPE_CHAR: Record<EntryType, string> = { file: '-', hardlink: '-', dir: 'd', symlink: 'l', char: 'c', block: 'b', fifo: 'p' };

/** ls-style mode: 0o4755 on a file -> "-rwsr-xr-x". */
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
