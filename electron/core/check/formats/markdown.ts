// `--format markdown`: a PR comment. Headline pass/fail, the final size and growth, the
// failures with their lines, everything else collapsed. Text from the image (paths) is data:
// escaped so it cannot become markup or a mention.
import type { CheckReport, CheckResult } from '../../../../shared/check.ts';
import { formatBytes, formatCount, formatDelta, formatPercentDelta, plural } from '../../../../shared/format.ts';

export function mdEscape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>@~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const ICON: Record<string, string> = { error: '❌', warn: '⚠️', info: 'ℹ️' };

function row(r: CheckResult): string {
  const icon = r.passed ? '✅' : ICON[r.severity];
  return `| ${icon} | ${mdEscape(r.stage ?? '-')} | \`${r.rule}\` | ${r.line ?? '-'} | ${r.bytes !== undefined ? formatBytes(r.bytes) : ''} | ${mdEscape(r.message)} |`;
}

const HEADER = '| | stage | rule | line | bytes | message |\n|---|---|---|---|---|---|';

export function checkMarkdown(report: CheckReport): string {
  const out: string[] = [];
  if (report.status === 'error') {
    out.push(`### ❌ StageScope check could not run`, '', mdEscape(report.error ?? 'The build failed.'));
    return out.join('\n');
  }
  const s = report.summary;
  out.push(`### ${report.status === 'pass' ? '✅ StageScope check passed' : '❌ StageScope check failed'}`);
  out.push('');
  out.push(
    `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${formatCount(s.passed)} passed · \`${mdEscape(report.dockerfilePath)}\` target **${mdEscape(report.target)}**`,
  );
  out.push('');
  const sizes = [`Final image: **${report.finalSize !== null ? formatBytes(report.finalSize) : '?'}**`];
  for (const g of report.growth)
    sizes.push(
      `${mdEscape(g.stage)}: ${formatDelta(g.bytes)}${g.percent !== null ? ` (${formatPercentDelta(g.percent / 100)})` : ''} against ${mdEscape(report.baseline ?? 'the baseline')}`,
    );
  out.push(sizes.join(' · '));
  const failures = report.results.filter((r) => !r.passed);
  if (failures.length) {
    out.push('', HEADER, ...failures.map(row));
  }
  const passed = report.results.filter((r) => r.passed);
  out.push('', '<details><summary>All results, semantics and notes</summary>', '');
  if (passed.length) out.push(HEADER, ...passed.map(row), '');
  for (const line of [...report.semantics, report.buildkitChecks.message, ...report.notes]) out.push(`- ${mdEscape(line)}`);
  out.push('', '</details>');
  return out.join('\n');
}
