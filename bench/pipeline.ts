// #13 item 1 as a user sees it: `stagescope analyze <folder> --all-stages --json` wall time
// against the by-hand pipeline (`docker build --target` of each stage, warm, then one
// `docker save` of the stage images to /dev/null), alternating, several rounds, medians.
//
//   npx tsx bench/pipeline.ts [--fixture full|small-files] [--rounds N] [--cli NAME=PATH]...
//
// Each --cli is a `bin/stagescope.js` (e.g. one of a `git archive` of an older commit, with its
// own `npm run build:cli`), so two engines are compared in one run. Default: this checkout's.
// Every analysis gets an empty STAGESCOPE_CACHE_DIR: every layer is parsed, no stage reused.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { connectEngine } from '../electron/core/docker/connection.ts';
import { removeImagesByLabel } from '../electron/core/docker/images.ts';
import { readDockerfile } from '../electron/core/dockerfile/parse.ts';
import { PROJECT_LABEL } from '../electron/core/project/naming.ts';
import { createFixture } from './fixture.ts';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const HAND_REPO = `stagescope-bench-hand/p${process.pid}`;

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; toNull?: boolean } = {}): Promise<string> {
  const devNull = opts.toNull ? openSync('/dev/null', 'w') : null;
  return new Promise<string>((done, fail) => {
    const p = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', devNull ?? 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', fail);
    p.on('close', (code) =>
      code === 0 ? done(out) : fail(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${err.trim().slice(-800)}`)),
    );
  }).finally(() => {
    if (devNull !== null) closeSync(devNull);
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Args {
  fixture: 'full' | 'small-files';
  rounds: number;
  clis: [string, string][];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { fixture: 'full', rounds: 5, clis: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--fixture') args.fixture = argv[++i] === 'small-files' ? 'small-files' : 'full';
    else if (argv[i] === '--rounds') args.rounds = Math.max(1, Number(argv[++i]) || 1);
    else if (argv[i] === '--cli') {
      const [name, path] = argv[++i].split('=', 2);
      args.clis.push([name, resolve(path)]);
    } else throw new Error(`Unknown option ${argv[i]}`);
  }
  if (args.clis.length === 0) args.clis.push(['this', join(REPO, 'bin/stagescope.js')]);
  return args;
}

async function main(args: Args): Promise<void> {
  const fixture = await createFixture(args.fixture);
  const model = await readDockerfile(fixture.dockerfile);
  const names = model.stages.map((s) => s.name!);
  const cacheRoot = await mkdtemp(join(tmpdir(), 'stagescope-pipeline-'));
  const log = (m: string) => process.stderr.write(`pipeline: ${m}\n`);

  const byHand = async (): Promise<{ total: number; save: number }> => {
    const t0 = performance.now();
    const ids: string[] = [];
    for (const name of names) {
      const out = await run('docker', ['build', '-q', '--network=none', '--target', name, '-t', `${HAND_REPO}:${name}`, fixture.dir]);
      ids.push(out.trim());
    }
    const t1 = performance.now();
    await run('docker', ['save', ...ids], { toNull: true });
    const t2 = performance.now();
    return { total: t2 - t0, save: t2 - t1 };
  };
  const analyze = async (cli: string): Promise<number> => {
    const env = { ...process.env, STAGESCOPE_CACHE_DIR: await mkdtemp(join(cacheRoot, 'c-')) };
    const t0 = performance.now();
    await run(process.execPath, [cli, 'analyze', fixture.dir, '--all-stages', '--json'], { env, toNull: true });
    const t = performance.now() - t0;
    await rm(env.STAGESCOPE_CACHE_DIR, { recursive: true, force: true });
    return t;
  };

  try {
    log(`fixture ${args.fixture} in ${fixture.dir}: cold build by hand, then one unmeasured run of each`);
    await byHand();
    for (const [, cli] of args.clis) await analyze(cli);
    const hand: number[] = [];
    const saves: number[] = [];
    const ours = new Map<string, number[]>(args.clis.map(([n]) => [n, []]));
    const loads: number[] = [];
    for (let r = 0; r < args.rounds; r++) {
      // Alternate which goes first, so a trend in the machine's load favours neither.
      const order = r % 2 ? [...args.clis].reverse() : args.clis;
      loads.push(loadavg()[0]);
      const h = await byHand();
      hand.push(h.total);
      saves.push(h.save);
      const line = [`hand ${(h.total / 1000).toFixed(2)} s (save ${(h.save / 1000).toFixed(2)})`];
      for (const [name, cli] of order) {
        const t = await analyze(cli);
        ours.get(name)!.push(t);
        line.push(`${name} ${(t / 1000).toFixed(2)} s (${(t / h.total).toFixed(2)}x)`);
      }
      log(`round ${r + 1}/${args.rounds}, load ${loadavg()[0].toFixed(1)}: ${line.join(', ')}`);
    }
    const h = median(hand);
    console.log(
      `fixture ${args.fixture}, ${args.rounds} rounds, load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`,
    );
    console.log(`by hand: median ${(h / 1000).toFixed(2)} s (docker save alone ${(median(saves) / 1000).toFixed(2)} s)`);
    for (const [name, times] of ours) {
      const ratios = times.map((t, i) => t / hand[i]);
      console.log(
        `${name}: median ${(median(times) / 1000).toFixed(2)} s, ${(median(times) / h).toFixed(2)}x; per round ${ratios.map((x) => x.toFixed(2)).join(' ')} (median ${median(ratios).toFixed(2)}x)`,
      );
    }
  } finally {
    const conn = await connectEngine();
    await removeImagesByLabel(conn.docker, `${PROJECT_LABEL}=${resolve(fixture.dockerfile)}`).catch(() => undefined);
    for (const name of names) await run('docker', ['rmi', `${HAND_REPO}:${name}`]).catch(() => undefined);
    await rm(fixture.dir, { recursive: true, force: true });
    await rm(cacheRoot, { recursive: true, force: true });
  }
}

main(parseArgs(process.argv.slice(2))).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
