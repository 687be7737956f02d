// The `stagescope` command: analyze, diff, inspect, ls, cat, prune, serve. Reports go to stdout (text or
// --json), progress and errors to stderr. Exit codes: 0 ok, 1 failed, 2 bad usage.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectEngine } from '../core/docker/connection.ts';
import { analyzeDockerfile } from '../core/project/analyze.ts';
import { resolveDockerfilePath } from '../core/project/discover.ts';
import { analyzeNamedStages, diffNamedStages } from '../core/project/named-stages.ts';
import { StageScopeError, describeError } from '../../shared/errors.ts';
import { failureLabel } from '../../shared/failure.ts';
import type { BuildFailure } from '../../shared/model.ts';
import { HELP, parseCommand, type BuildFlags, type Command } from './args.ts';
import { withBuildDisplay } from './progress.ts';
import { diffText, reportText } from './report-text.ts';
import type { AnalyzedImage } from '../core/project/stage-analysis.ts';
// The other commands are imported when run: their packages (undici for image sources, yaml for
// check, ws for serve) took ~0.3 s of CPU at every `analyze` start (BENCHMARKS.md, round 6).

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export async function runAnalysis(path: string, build: BuildFlags) {
  const dockerfile = await resolveDockerfilePath(path);
  const conn = await connectEngine();
  return withBuildDisplay(dockerfile, build.buildArgs, (hooks) => analyzeDockerfile(conn, { dockerfile, options: build }, hooks));
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
      const [{ withModeAndOwner }, { movedText }] = await Promise.all([import('./ls.ts'), import('./compare-text.ts')]);
      const { before, after, diff } = await withBuildDisplay(dockerfile, command.build.buildArgs, (hooks) =>
        diffNamedStages(
          connectEngine,
          { dockerfile, options: command.build, a: command.a, b: command.b, ignore: command.ignore, include: command.include },
          hooks,
        ),
      );
      out(
        command.json
          ? JSON.stringify({ ...diff, modified: withModeAndOwner(diff.modified, before.image.tree, after.image.tree) }, null, 2)
          : diffText(before.label, after.label, diff) + movedText(diff.moved),
      );
      return 0;
    }
    case 'inspect':
      return (await import('./inspect.ts')).inspectCommand(command.ref, command.json, out, command.source);
    case 'ls': {
      const { analyzedSource, printListing } = await import('./ls.ts');
      let image: AnalyzedImage;
      if (command.stage === null) image = await analyzedSource(command.source);
      else {
        const dockerfile = await resolveDockerfilePath(command.source);
        const stage = command.stage;
        const { stages } = await withBuildDisplay(dockerfile, command.build.buildArgs, (hooks) =>
          analyzeNamedStages(connectEngine, { dockerfile, options: command.build, stages: [stage] }, hooks),
        );
        image = stages[0]!.image;
      }
      return printListing(image, command, (text) => process.stdout.write(text));
    }
    case 'cat':
      return (await import('./cat.ts')).catCommand(command, (text) => process.stderr.write(`${text}\n`));
    case 'prune':
      return (await import('./prune.ts')).pruneCommand(command.json, out);
    case 'serve':
      return (await import('./serve.ts')).serveCommand(command.path, command.port, out);
    case 'check':
      return (await import('./check.ts')).checkCommand(command, out);
    default:
      return (await import('./history-commands.ts')).runHistoryCommand(
        command,
        out,
        (path, build) => runAnalysis(path, build),
        resolveDockerfilePath,
      );
  }
}

/** The last log lines of a failed step, one indented line each. */
const logTail = (logs: string[]) =>
  logs
    .slice(-20)
    .map((l) => `\n  | ${l}`)
    .join('');

/** A failed step as the terminal shows it: its label, instruction, message and last log lines. */
function failureText(f: BuildFailure): string {
  return `${failureLabel(f)}${f.instruction ? ` (${f.instruction.split('\n')[0]})` : ''}: ${f.message}${logTail(f.logs)}`;
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(parseCommand(argv));
  } catch (err) {
    const usage = err instanceof StageScopeError && err.code === 'usage';
    // A stage the command needed failed: its last log lines say why.
    const failure = err instanceof StageScopeError && err.is('build') ? err.details.failure : undefined;
    process.stderr.write(`stagescope: ${describeError(err)}${failure ? logTail(failure.logs) : ''}\n`);
    if (!(err instanceof StageScopeError) && process.env.STAGESCOPE_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return usage ? 2 : 1;
  }
}
