// `--format text`: a table per stage, failures first, each with its line and bytes. Colors
// only when the caller says the stream is a terminal and NO_COLOR is not set.
import type { CheckReport, CheckResult } from '../../shared/check.ts';
import { formatBytes, formatCount, formatDelta, formatPercentDelta, plural } from '../../shared/format.ts';
import { renderTable, safeText } from './table.ts';

const MARK: Record<string, string> = { error: 'FAIL', warn: 'WARN', info: 'INFO' };
const COLOR: Record<string, string> = { FAIL: '31', WARN: '33', INFO: '36', ok: '32' };

/** Colors only on a terminal, and never with NO_COLOR set (no-color.org) or TERM=dumb. */
export function shouldColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return Boolean(isTTY) && !('NO_COLOR' in env) && env.TERM !== 'dumb';
}

export function statusWord(r: CheckResult): string {
  return r.passed ? 'ok' : MARK[r.severity];
}

export function checkText(report: CheckReport, color = false): string {
  const paint = (word: string, text = word) => (color ? `\x1b[${COLOR[word] ?? '0'}m${text}\x1b[0m` : text);
  const out: string[] = [];
  out.push(
    `Dockerfile: ${safeText(report.dockerfilePath)}   Target: ${safeText(report.target)}   Config: ${safeText(report.config ?? 'defaults (no .stagescope.yml)')}`,
  );
  if (report.status === 'error') {
    out.push('', paint('FAIL', `Check could not run: ${safeText(report.error ?? 'the build failed')}`));
    return out.join('\n');
  }
  const groups = new Map<string, CheckResult[]>();
  for (const r of report.results) {
    const key = r.stage ?? '(Dockerfile)';
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [stage, results] of groups) {
    out.push('', `Stage ${safeText(stage)}`);
    const table = renderTable(
      ['', 'rule', 'line', 'bytes', 'message'],
      results.map((r) => [statusWord(r), r.rule, r.line ?? '-', r.bytes !== undefined ? formatBytes(r.bytes) : '', r.message]),
      [2, 3],
    );
    // Color the status column after the table is laid out, so widths stay right.
    out.push(
      color
        ? table
            .split('\n')
            .map((l) => l.replace(/^(FAIL|WARN|INFO|ok)(\s)/, (_, w: string, s: string) => `${paint(w)}${s}`))
            .join('\n')
        : table,
    );
  }
  out.push('');
  if (report.finalSize !== null) out.push(`Final image: ${formatBytes(report.finalSize)}`);
  for (const g of report.growth)
    out.push(
      `Growth of ${safeText(g.stage)} against ${safeText(report.baseline ?? 'the baseline')}: ${formatDelta(g.bytes)}${g.percent !== null ? ` (${formatPercentDelta(g.percent / 100)})` : ''}`,
    );
  out.push(`Semantics: ${report.semantics.join('; ')}`);
  out.push(report.buildkitChecks.message);
  for (const n of report.notes) out.push(`Note: ${safeText(n)}`);
  const s = report.summary;
  const verdict = report.status === 'pass' ? paint('ok', 'PASSED') : paint('FAIL', 'FAILED');
  out.push(
    `${verdict}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${formatCount(s.infos)} info, ${formatCount(s.passed)} passed.`,
  );
  return out.join('\n');
}
