// `stagescope compare` output: the terminal summary and the pull-request comment (Markdown,
// no terminal colors). Paths from images are data: escaped for the terminal, and put in code
// spans (backticks replaced) for Markdown so a hostile name cannot inject markup.
import type { CompareReport, CompareStage, SnapshotSummary } from '../../shared/history.ts';
import { formatBytes, formatCount, formatDelta, formatPercentDelta, stageLabel } from '../../shared/format.ts';
import { renderTable, safeText } from './table.ts';

const stageName = (s: { index: number; name: string | null }) => stageLabel(s);

function delta(before: number | null, after: number | null): string {
  if (before === null || after === null) return '–';
  const d = after - before;
  const pct = before > 0 ? ` (${formatPercentDelta(d / before)})` : '';
  return `${formatDelta(d)}${pct}`;
}

export interface Growth {
  stage: string;
  path: string;
  bytes: number;
  line: number | null;
  kind: 'added' | 'modified';
}

/** The largest growths over all stages (added files, and modified files that grew). */
export function largestGrowths(report: CompareReport, n = 10): Growth[] {
  const out: Growth[] = [];
  for (const s of report.stages) {
    for (const a of s.added) out.push({ stage: stageName(s), path: a.path, bytes: a.size, line: a.line, kind: 'added' });
    for (const m of s.modified)
      if (m.after > m.before) out.push({ stage: stageName(s), path: m.path, bytes: m.after - m.before, line: m.line, kind: 'modified' });
  }
  return out
    .filter((g) => g.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
    .slice(0, n);
}

const counts = (s: CompareStage) =>
  `+${formatCount(s.added.length)} -${formatCount(s.removed.length)} ~${formatCount(s.modified.length)} >${formatCount(s.moved.length)}`;

export function compareText(report: CompareReport): string {
  const out: string[] = [];
  out.push(`Compared with snapshot ${safeText(report.baseline.id)} (${report.baseline.time})`);
  out.push(
    `Final image ${safeText(report.final.name)}: ${formatBytes(report.final.sizeBefore ?? NaN)} -> ${formatBytes(report.final.sizeAfter ?? NaN)}, ${delta(report.final.sizeBefore, report.final.sizeAfter)}`,
  );
  out.push('');
  out.push(
    renderTable(
      ['#', 'stage', 'status', 'before', 'after', 'delta', 'files +/-/~/moved', 'new layers'],
      report.stages.map((s) => [
        s.index,
        stageName(s),
        s.status,
        formatBytes(s.sizeBefore ?? NaN),
        formatBytes(s.sizeAfter ?? NaN),
        delta(s.sizeBefore, s.sizeAfter),
        counts(s),
        s.layersChanged.length,
      ]),
      [0, 3, 4, 5, 7],
    ),
  );
  const growth = largestGrowths(report);
  if (growth.length > 0) {
    out.push('', 'Largest growths');
    out.push(
      renderTable(
        ['bytes', 'stage', 'path', 'line'],
        growth.map((g) => [formatDelta(g.bytes), g.stage, g.path, g.line ?? '?']),
        [0, 3],
      ),
    );
  }
  for (const s of report.stages.filter((x) => x.status === 'changed')) {
    const rows: (string | number)[][] = [
      ...s.added.map((e) => ['+', e.path, formatBytes(e.size), e.line ?? '?']),
      ...s.removed.map((e) => ['-', e.path, formatBytes(e.size), '']),
      ...s.modified.map((e) => [
        '~',
        `${e.path} (${e.reasons.join(', ')})`,
        `${formatBytes(e.before)} -> ${formatBytes(e.after)}`,
        e.line ?? '?',
      ]),
      ...s.moved.map((e) => ['>', `${e.from} -> ${e.to}`, formatBytes(e.size), e.line ?? '?']),
    ];
    if (rows.length === 0) continue;
    out.push('', `Stage ${stageName(s)}`);
    out.push(renderTable(['', 'path', 'size', 'line'], rows.slice(0, 200), [3]));
    if (rows.length > 200) out.push(`... and ${formatCount(rows.length - 200)} more (use --json for all)`);
  }
  for (const w of report.warnings) out.push(`warning: ${safeText(w)}`);
  return out.join('\n');
}

/** Inline code for Markdown: no backticks, pipes or line breaks can escape it. */
function code(text: string): string {
  return '`' + safeText(text).replace(/`/g, "'").replace(/\|/g, '\\|') + '`';
}

function cell(text: string): string {
  return safeText(text)
    .replace(/\|/g, '\\|')
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

const DETAILS_LIMIT = 100;

export function compareMarkdown(report: CompareReport): string {
  const out: string[] = [];
  const { final } = report;
  out.push(`### StageScope: ${cell(final.name)} is ${formatBytes(final.sizeAfter ?? NaN)} (${delta(final.sizeBefore, final.sizeAfter)})`);
  out.push('');
  out.push(
    `Compared with snapshot ${code(report.baseline.id)} of ${report.baseline.time}; before: ${formatBytes(final.sizeBefore ?? NaN)}.`,
  );
  out.push('');
  out.push('| Stage | Status | Before | After | Delta | Added | Removed | Modified | Moved |');
  out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of report.stages) {
    out.push(
      `| ${cell(stageName(s))} | ${s.status} | ${formatBytes(s.sizeBefore ?? NaN)} | ${formatBytes(s.sizeAfter ?? NaN)} | ${delta(s.sizeBefore, s.sizeAfter)} | ${formatCount(s.added.length)} | ${formatCount(s.removed.length)} | ${formatCount(s.modified.length)} | ${formatCount(s.moved.length)} |`,
    );
  }
  const growth = largestGrowths(report);
  if (growth.length > 0) {
    out.push('', '**Largest growths**', '', '| Bytes | Stage | Path | Line |', '|---:|---|---|---:|');
    for (const g of growth) out.push(`| ${formatDelta(g.bytes)} | ${cell(g.stage)} | ${code(g.path)} | ${g.line ?? '?'} |`);
  }
  for (const s of report.stages.filter((x) => x.status === 'changed')) {
    const lines = [
      ...s.added.map((e) => `+ ${e.path} (${formatBytes(e.size)}, line ${e.line ?? '?'})`),
      ...s.removed.map((e) => `- ${e.path} (${formatBytes(e.size)})`),
      ...s.modified.map(
        (e) => `~ ${e.path} (${e.reasons.join(', ')}: ${formatBytes(e.before)} -> ${formatBytes(e.after)}, line ${e.line ?? '?'})`,
      ),
      ...s.moved.map((e) => `> ${e.from} -> ${e.to} (${formatBytes(e.size)}, line ${e.line ?? '?'})`),
    ];
    if (lines.length === 0) continue;
    out.push('', `<details><summary>Stage ${cell(stageName(s))}: ${counts(s)}</summary>`, '', '```diff');
    // Inside a fenced block only a fence can escape: backtick runs are broken up.
    for (const l of lines.slice(0, DETAILS_LIMIT)) out.push(safeText(l).replace(/`{3,}/g, (m) => m.split('').join('\u200b')));
    if (lines.length > DETAILS_LIMIT) out.push(`... and ${lines.length - DETAILS_LIMIT} more`);
    out.push('```', '', '</details>');
  }
  for (const w of report.warnings) out.push('', `> ${cell(w)}`);
  return out.join('\n');
}

export function historyText(rows: SnapshotSummary[]): string {
  if (rows.length === 0) return '(no snapshots yet: every analysis records one)';
  return renderTable(
    ['id', 'time', 'target', 'final size', 'stages'],
    rows.map((r) => [
      r.id,
      r.time,
      r.target,
      formatBytes(r.finalSize),
      r.stages.map((s) => `${stageName(s)} ${formatBytes(s.size)}`).join(', '),
    ]),
    [3],
  );
}

/** Lines appended to diff's text output for moved entries ('' when there are none). */
export function movedText(moved: { from: string; to: string; size: number }[]): string {
  if (moved.length === 0) return '';
  return (
    '\n\nMoved\n' +
    renderTable(
      ['size', 'from', 'to'],
      moved.map((m) => [formatBytes(m.size), m.from, m.to]),
      [0],
    )
  );
}
