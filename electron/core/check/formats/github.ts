// `--format github`: GitHub Actions workflow commands (annotations on the Dockerfile lines) and,
// when GITHUB_STEP_SUMMARY names a file, the markdown report appended to the job summary.
import type { CheckReport } from '../../../../shared/check.ts';

const COMMAND = { error: 'error', warn: 'warning', info: 'notice' } as const;

/** Workflow command escaping (actions/toolkit): data and property values differ. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function checkGithub(report: CheckReport): string {
  const file = escapeProperty(report.dockerfilePath.replace(/\\/g, '/'));
  if (report.status === 'error') return `::error file=${file},title=stagescope check::${escapeData(report.error ?? 'the build failed')}`;
  const lines = report.results
    .filter((r) => !r.passed)
    .map(
      (r) =>
        `::${COMMAND[r.severity]} file=${file}${r.line ? `,line=${r.line}` : ''},title=${escapeProperty(`${r.rule}${r.stage ? ` (${r.stage})` : ''}`)}::${escapeData(r.message)}`,
    );
  const s = report.summary;
  lines.push(
    `stagescope check ${report.status === 'pass' ? 'passed' : 'failed'}: ${s.errors} errors, ${s.warnings} warnings, ${s.passed} passed`,
  );
  return lines.join('\n');
}
