// `stagescope check`: builds and analyzes as `analyze` does, then evaluates .stagescope.yml
// (or --config), --dive-ci and the measured rules, and prints the results in one format.
// Exit codes: 0 passed (warnings allowed), 1 a rule at severity error failed, 2 bad usage or
// an invalid config, 3 the build or the analysis failed.
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { connectEngine } from '../core/docker/connection.ts';
import { readDockerfile } from '../core/dockerfile/parse.ts';
import { dependencyClosure, planTarget } from '../core/dockerfile/plan.ts';
import { analyzeDockerfile } from '../core/project/analyze.ts';
import { resolveDockerfilePath } from '../core/project/discover.ts';
import { buildkitChecks } from '../core/check/buildkit.ts';
import { configuredStages } from '../core/check/budgets.ts';
import { loadConfig, type CheckConfig } from '../core/check/config.ts';
import { loadDiveCi } from '../core/check/dive-ci.ts';
import { errorReport, evaluateChecks } from '../core/check/evaluate.ts';
import { checkMarkdown, formatCheck, type CheckFormat } from '../core/check/formats/index.ts';
import { engineHeadReader } from '../core/check/layer-heads.ts';
import { loadBaseline } from '../core/check/baseline.ts';
import type { CheckReport } from '../../shared/check.ts';
import { StageScopeError, describeError } from '../../shared/errors.ts';
import { stageLabel } from '../../shared/format.ts';
import { plannedStages } from '../../shared/plan.ts';
import type { BuildFlags } from './args.ts';
import { checkText, shouldColor } from './check-text.ts';
import { withBuildDisplay } from './progress.ts';

export interface CheckCommand {
  kind: 'check';
  path: string;
  build: BuildFlags;
  config: string | null;
  diveCi: string | null;
  baseline: string | null;
  format: CheckFormat;
  output: string | null;
}

export const EXIT = { pass: 0, fail: 1, usage: 2, error: 3 } as const;

function packageVersion(): Promise<string> {
  return readFile(join(dirname(new URL(import.meta.url).pathname), '../../package.json'), 'utf8').then(
    (t) => (JSON.parse(t) as { version: string }).version,
    () => '0.0.0',
  );
}

async function emit(report: CheckReport, cmd: CheckCommand, out: (text: string) => void): Promise<void> {
  const color = cmd.format === 'text' && !cmd.output && shouldColor(process.stdout.isTTY, process.env);
  const text = cmd.format === 'text' ? checkText(report, color) : formatCheck(report, cmd.format, { version: await packageVersion() });
  if (cmd.output) await writeFile(cmd.output, text.endsWith('\n') ? text : `${text}\n`);
  else out(text);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (cmd.format === 'github' && summary) await appendFile(summary, `${checkMarkdown(report)}\n`);
}

async function projectDirOf(path: string, dockerfile: string): Promise<string> {
  const info = await stat(resolve(path)).catch(() => null);
  return info?.isDirectory() ? resolve(path) : dirname(dockerfile);
}

export async function checkCommand(cmd: CheckCommand, out: (text: string) => void): Promise<number> {
  // Usage and config problems: exit 2 before anything is built.
  let dockerfile: string;
  let projectDir: string;
  let config: CheckConfig;
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    dockerfile = await resolveDockerfilePath(cmd.path);
    projectDir = await projectDirOf(cmd.path, dockerfile);
    config = await loadConfig(cmd.config ? resolve(cmd.config) : join(projectDir, '.stagescope.yml'), Boolean(cmd.config));
    prepared = await prepare(cmd, dockerfile, projectDir, config);
  } catch (err) {
    const usage = err instanceof StageScopeError && err.code === 'usage';
    process.stderr.write(`stagescope: ${describeError(err)}\n`);
    return usage ? EXIT.usage : EXIT.error;
  }
  const { stages, dive, baseline } = prepared;
  let report: CheckReport;
  try {
    const conn = await connectEngine();
    const analysis = await withBuildDisplay(dockerfile, cmd.build.buildArgs, (hooks) =>
      analyzeDockerfile(conn, { dockerfile, contextDir: dirname(dockerfile), options: cmd.build, stages }, hooks),
    );
    const buildkit = await buildkitChecks(dockerfile, dirname(dockerfile));
    report = await evaluateChecks({ analysis, config, projectDir, dive, baseline, readHeads: engineHeadReader(conn.docker), buildkit });
  } catch (err) {
    if (err instanceof StageScopeError && err.code === 'usage') {
      process.stderr.write(`stagescope: ${describeError(err)}\n`);
      return EXIT.usage;
    }
    report = errorReport(dockerfile, projectDir, describeError(err), config);
  }
  await emit(report, cmd, out);
  if (report.status === 'error') {
    process.stderr.write(`stagescope: check could not run: ${report.error}\n`);
    return EXIT.error;
  }
  return report.status === 'fail' ? EXIT.fail : EXIT.pass;
}

/** Everything that can be refused before a build: the Dockerfile, stage names, --dive-ci, --baseline. */
async function prepare(cmd: CheckCommand, dockerfile: string, projectDir: string, config: CheckConfig) {
  const model = await readDockerfile(dockerfile, { buildArgs: cmd.build.buildArgs });
  const plan = planTarget(model, cmd.build.target);
  const keys = configuredStages(config, model);
  // The stages the config budgets are built too, with what they need.
  const stages = new Set([...plannedStages(model, plan, cmd.build), ...dependencyClosure(model, ...keys.values())]);
  const dive = cmd.diveCi ? await loadDiveCi(resolve(cmd.diveCi)) : null;
  const baseline = cmd.baseline ? await loadBaseline(cmd.baseline, dockerfile, stageLabel(model.stages[plan.target])) : null;
  return { stages: [...stages].sort((a, b) => a - b), dive, baseline };
}
