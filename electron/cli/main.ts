// The `stagescope` command: analyze, diff, inspect, ls, prune, serve. Reports go to stdout (text or
// --json), progress and errors to stderr. Exit codes: 0 ok, 1 failed, 2 bad usage.
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectEngine } from '../core/docker/connection.ts';
import { analyzeDockerfile } from '../core/project/analyze.ts';
import { findDockerfiles } from '../core/project/discover.ts';
import { resolveStage, planTarget } from '../core/dockerfile/plan.ts';
import { readDockerfile } from '../core/dockerfile/parse.ts';
import { semanticDiff } from '../core/image/semantic-diff.ts';
import { StageScopeError, describeError } from '../../shared/errors.ts';
import { stageLabel } from '../../shared/format.ts';
import { HELP, parseCommand, type BuildFlags, type Command } from './args.ts';
import { createProgress } from './progress.ts';
import { diffText, reportText } from './report-text.ts';
import { inspectCommand } from './inspect.ts';
import { analyzedSource, printListing, withModeAndOwner } from './ls.ts';
import type { AnalyzedImage } from '../core/project/stage-analysis.ts';
import { pruneCommand } from './prune.ts';
import { serveCommand } from './serve.ts';
import { checkCommand } from './check.ts';
import { runHistoryCommand } from './history-commands.ts';
import { movedText } from './compare-text.ts';

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/** A folder (its Dockerfile) or a Dockerfile path → the Dockerfile's absolute path. */
export async function resolveDockerfilePath(path: string): Promise<string> {
  const abs = resolve(path);
  const info = await stat(abs).catch(() => null);
  if (!info) throw new StageScopeError('usage', `${path} does not exist.`, 'Give a project folder or a Dockerfile.');
  if (info.isFile()) return abs;
  if (!info.isDirectory())
    throw new StageScopeError('usage', `${path} is neither a folder nor a file.`, 'Give a project folder or a Dockerfile.');
  const found = await findDockerfiles(abs);
  const top = found.find((f) => f.toLowerCase() === 'dockerfile') ?? (found.length === 1 ? found[0] : null);
  if (top) return join(abs, top);
  if (found.length === 0) throw new StageScopeError('usage', `No Dockerfile found in ${path}.`, 'Give the path of the Dockerfile itself.');
  throw new StageScopeError(
    'usage',
    `${path} holds several Dockerfiles (${found.slice(0, 5).join(', ')}).`,
    'Give the path of the one to analyze.',
  );
}

export async function runAnalysis(path: string, build: BuildFlags, stages?: number[]) {
  const dockerfile = await resolveDockerfilePath(path);
  const conn = await connectEngine();
  let labels: (i: number | null) => string = (i) => (i === null ? '?' : `stage-${i}`);
  const progress = createProgress(process.stderr, (i) => labels(i));
  const model = await readDockerfile(dockerfile, { buildArgs: build.buildArgs });
  labels = (i) => (i === null || !model.stages[i] ? 'internal' : stageLabel(model.stages[i]));
  try {
    return await analyzeDockerfile(
      conn,
      {
        dockerfile,
        options: {
          target: build.target,
          allStages: build.allStages,
          buildArgs: build.buildArgs,
          builder: build.builder,
          noCache: build.noCache,
        },
        stages,
      },
      { onEvent: (e) => progress.event(e), onPhase: (p, info) => progress.phase(p, info) },
    );
  } finally {
    progress.done();
  }
}

async function run(command: Command): Promise<number> {
  switch (command.kind) {
    case 'help':
      out(HELP[command.topic ?? ''] ?? HELP['']);
      return 0;
    case 'version': {
      const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as {
        version: string;
      };
      out(pkg.version);
      return 0;
    }
    case 'analyze': {
      const analysis = await runAnalysis(command.path, command.build);
      out(command.json ? JSON.stringify(analysis.report, null, 2) : reportText(analysis.report));
      const failure = analysis.outcome.failure;
      if (failure) {
        process.stderr.write(`stagescope: ${failureText(failure)}\n`);
        return 1;
      }
      return 0;
    }
    case 'diff': {
      const dockerfile = await resolveDockerfilePath(command.path);
      const model = await readDockerfile(dockerfile, { buildArgs: command.build.buildArgs });
      const a = resolveStage(model, command.a);
      const b = resolveStage(model, command.b);
      const needed = [...new Set([...planTarget(model, String(a)).buildkit, ...planTarget(model, String(b)).buildkit])].sort(
        (x, y) => x - y,
      );
      const analysis = await runAnalysis(command.path, command.build, needed);
      const [ta, tb] = [analysis.stages.get(a), analysis.stages.get(b)];
      if (!ta || !tb) {
        const failure = analysis.outcome.failure;
        throw new StageScopeError(
          'build',
          `Stage ${stageLabel(model.stages[ta ? b : a])} could not be built${failure ? `: ${failureText(failure)}` : '.'}`,
          'Fix the build and try again.',
        );
      }
      const diff = semanticDiff(ta.tree, tb.tree, { ignore: command.ignore, include: command.include });
      out(
        command.json
          ? JSON.stringify({ ...diff, modified: withModeAndOwner(diff.modified, ta.tree, tb.tree) }, null, 2)
          : diffText(stageLabel(model.stages[a]), stageLabel(model.stages[b]), diff) + movedText(diff.moved),
      );
      return 0;
    }
    case 'inspect':
      return inspectCommand(command.ref, command.json, out, command.source);
    case 'ls': {
      let image: AnalyzedImage | undefined;
      if (command.stage === null) image = await analyzedSource(command.source);
      else {
        const model = await readDockerfile(await resolveDockerfilePath(command.source), { buildArgs: command.build.buildArgs });
        const stage = resolveStage(model, command.stage);
        const analysis = await runAnalysis(command.source, command.build, planTarget(model, String(stage)).buildkit);
        image = analysis.stages.get(stage);
        if (!image)
          throw new StageScopeError(
            'build',
            `Stage ${stageLabel(model.stages[stage])} could not be built.`,
            'Run `stagescope analyze` to see why.',
          );
      }
      return printListing(image, command, (text) => process.stdout.write(text));
    }
    case 'prune':
      return pruneCommand(command.json, out);
    case 'serve':
      return serveCommand(command.path, command.port, out);
    case 'check':
      return checkCommand(command, out);
    default:
      return runHistoryCommand(command, out, (path, build) => runAnalysis(path, build), resolveDockerfilePath);
  }
}

function failureText(f: {
  stage: number;
  stageName: string | null;
  line: number | null;
  instruction: string | null;
  message: string;
  logs: string[];
}): string {
  const where = `stage ${f.stageName ?? `stage-${f.stage}`}${f.line ? `, line ${f.line}` : ''}`;
  const logs = f.logs.length
    ? `\n${f.logs
        .slice(-20)
        .map((l) => `  | ${l}`)
        .join('\n')}`
    : '';
  return `the build failed in ${where}${f.instruction ? ` (${f.instruction.split('\n')[0]})` : ''}: ${f.message}${logs}`;
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(parseCommand(argv));
  } catch (err) {
    const usage = err instanceof StageScopeError && err.code === 'usage';
    const msg = describeError(err);
    process.stderr.write(`stagescope: ${msg}\n`);
    if (!(err instanceof StageScopeError) && process.env.STAGESCOPE_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return usage ? 2 : 1;
  }
}
