// BuildKit's own Dockerfile checks (`docker buildx build --call=check`, BuildKit >= 0.15 with
// buildx >= 0.15). Asked of the docker CLI when its buildx knows `--call`; otherwise the report
// says they are not available rather than pretending there were none.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BuildkitChecks, CheckResult } from '../../../shared/check.ts';
import { plural } from '../../../shared/format.ts';

const run = promisify(execFile);
export const NOT_AVAILABLE = 'BuildKit checks: not available on this engine';

interface CheckWarning {
  ruleName?: string;
  description?: string;
  detail?: string[];
  location?: { ranges?: { start?: { line?: number } }[] };
}

/** Results from the JSON that `--call=check,format=json` prints. */
export function parseBuildkitChecks(json: string): Omit<CheckResult, 'severity'>[] {
  const data = JSON.parse(json) as { warnings?: CheckWarning[] };
  return (data.warnings ?? []).map((w) => ({
    rule: `buildkit.${w.ruleName ?? 'check'}`,
    passed: false,
    stage: null,
    stageIndex: null,
    line: w.location?.ranges?.[0]?.start?.line ?? null,
    message: `${w.ruleName ?? 'BuildKit check'}: ${w.detail?.join(' ') || w.description || 'warning'}`,
  }));
}

export async function buildkitChecks(
  dockerfile: string,
  contextDir: string,
): Promise<{ info: BuildkitChecks; results: Omit<CheckResult, 'severity'>[] }> {
  try {
    const help = await run('docker', ['buildx', 'build', '--help'], { timeout: 15_000 });
    if (!/--call\b/.test(help.stdout)) return { info: { available: false, message: NOT_AVAILABLE }, results: [] };
    const out = await run('docker', ['buildx', 'build', '--call=check,format=json', '-f', dockerfile, contextDir], {
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const results = parseBuildkitChecks(out.stdout || '{}');
    return { info: { available: true, message: `BuildKit checks: ${plural(results.length, 'warning')}` }, results };
  } catch {
    return { info: { available: false, message: NOT_AVAILABLE }, results: [] };
  }
}
