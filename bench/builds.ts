// Figure (5) cold alone, side by side, several rounds: every stage built as StageScope builds
// them (`buildStages`) against one build of the final target, each with a fresh nonce so every
// step is new to BuildKit. With several --engine roots (e.g. a `git archive` of an older
// commit), each one's buildStages is timed in the same rounds, so two build orders compare
// under the same load.
//
//   npx tsx bench/builds.ts [--rounds N] [--quick] [--engine NAME=REPO_ROOT]...
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectEngine } from '../electron/core/docker/connection.ts';
import { removeImagesByLabel } from '../electron/core/docker/images.ts';
import { PROJECT_LABEL } from '../electron/core/project/naming.ts';
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { buildStages as BuildStages } from '../electron/core/project/build-stages.ts';
import { readDockerfile } from '../electron/core/dockerfile/parse.ts';
import { createFixture } from './fixture.ts';
import { timeFinalBuild } from './measure.ts';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(argv: string[]): Promise<void> {
  let rounds = 3;
  let quick = false;
  const engines: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds') rounds = Math.max(1, Number(argv[++i]) || 1);
    else if (argv[i] === '--quick') quick = true;
    else if (argv[i] === '--engine') {
      const [name, root] = argv[++i].split('=', 2);
      engines.push([name, resolve(root)]);
    } else throw new Error(`Unknown option ${argv[i]}`);
  }
  if (engines.length === 0) engines.push(['this', REPO]);
  const builders = new Map<string, typeof BuildStages>();
  for (const [name, root] of engines) {
    const mod = (await import(join(root, 'electron/core/project/build-stages.ts'))) as { buildStages: typeof BuildStages };
    builders.set(name, mod.buildStages);
  }
  const conn = await connectEngine();
  const fixture = await createFixture(quick ? 'quick' : 'full');
  const nonce = () => randomBytes(6).toString('hex');
  const final: number[] = [];
  const staged = new Map<string, number[]>(engines.map(([n]) => [n, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      const line: string[] = [];
      const load = loadavg()[0];
      // Alternate the order, so a trend in the machine's load favours neither side.
      const order = r % 2 ? [...engines.map(([n]) => n), 'final'] : ['final', ...engines.map(([n]) => n)];
      for (const what of order) {
        await fixture.write(nonce(), 1);
        if (what === 'final') {
          final.push(await timeFinalBuild(conn, fixture));
          line.push(`final ${(final.at(-1)! / 1000).toFixed(1)} s`);
          continue;
        }
        const model = await readDockerfile(fixture.dockerfile);
        const t0 = performance.now();
        const outcome = await builders.get(what)!(conn, {
          dockerfile: fixture.dockerfile,
          contextDir: fixture.dir,
          model,
          stages: model.stages.map((s) => s.index),
          options: { allStages: true },
          reuseDir: null,
        });
        if (outcome.failure) throw new Error(`build failed: ${outcome.failure.message}`);
        staged.get(what)!.push(performance.now() - t0);
        line.push(`${what} ${(staged.get(what)!.at(-1)! / 1000).toFixed(1)} s`);
      }
      const f = final.at(-1)!;
      process.stderr.write(
        `builds: round ${r + 1}/${rounds}, load ${load.toFixed(1)}: ${line.join(', ')}; ` +
          engines.map(([n]) => `${n} ${(staged.get(n)!.at(-1)! / f).toFixed(2)}x`).join(', ') +
          '\n',
      );
    }
    console.log(`(5) cold, ${rounds} rounds: one build of the final target, median ${(median(final) / 1000).toFixed(1)} s`);
    for (const [name] of engines) {
      const ts = staged.get(name)!;
      const ratios = ts.map((t, i) => t / final[i]);
      console.log(
        `${name}: stage by stage median ${(median(ts) / 1000).toFixed(1)} s; per round ${ratios.map((x) => x.toFixed(2)).join(' ')} (median ${median(ratios).toFixed(2)}x)`,
      );
    }
  } finally {
    await removeImagesByLabel(conn.docker, `${PROJECT_LABEL}=${resolve(fixture.dockerfile)}`).catch(() => undefined);
    await rm(fixture.dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
