// Issue 13 item 2 alone: the installed command's start and a warm re-analysis of an unchanged
// project, wall time from the shell, medians of N runs each, interleaved with Node's own start
// (`node -e 0`) so the machine's load shows next to them:
//   npx tsx bench/start.ts [--runs N] [--project DIR]... [--bench-fixture]
// Default projects: the `target` fixture (no `# syntax` line: every stage reused) and
// `go-hello` (a `# syntax` line: offline, its target is built again after the frontend fails);
// --bench-fixture adds the benchmark's 5-stage, ~80k-file fixture (built once first, then removed).
// Runs `node bin/stagescope.js`, i.e. the out/cli bundle: run `npm run build:cli` first.
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { connectEngine } from '../electron/core/docker/connection.ts';
import { removeImagesByLabel } from '../electron/core/docker/images.ts';
import { PROJECT_LABEL } from '../electron/core/project/naming.ts';
import { createFixture, type Fixture } from './fixture.ts';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(REPO, 'bin/stagescope.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function wall(args: string[]): number {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (${run.status}): ${run.stderr.trim()}`);
  return ms;
}

async function main(argv: string[]): Promise<void> {
  let runs = 10;
  const projects: string[] = [];
  let fixture: Fixture | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Math.max(1, Number(argv[++i]) || 1);
    else if (argv[i] === '--project') projects.push(resolve(argv[++i]));
    else if (argv[i] === '--bench-fixture') fixture = await createFixture('full');
    else throw new Error(`Unknown option ${argv[i]}`);
  }
  if (projects.length === 0) projects.push(join(REPO, 'tests/fixtures/target'), join(REPO, 'tests/fixtures/go-hello'));
  if (fixture) projects.push(fixture.dir);
  try {
    measure(runs, projects);
  } finally {
    if (fixture) {
      const { docker } = await connectEngine();
      await removeImagesByLabel(docker, `${PROJECT_LABEL}=${resolve(fixture.dockerfile)}`).catch(() => undefined);
      await rm(fixture.dir, { recursive: true, force: true });
    }
  }
}

function measure(runs: number, projects: string[]): void {
  const name = (p: string) => (p.startsWith(REPO) ? p.slice(REPO.length + 1) : 'the bench fixture');
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['stagescope --version', [BIN, '--version']],
    ['stagescope --help', [BIN, '--help']],
    ...projects.map((p): [string, string[]] => [
      `stagescope analyze ${name(p)} --all-stages --json (warm)`,
      [BIN, 'analyze', p, '--all-stages', '--json'],
    ]),
  ];
  // One unmeasured analysis each: the stage images exist and their reuse records are written.
  for (const [, args] of cases.slice(3)) wall(args);
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  const load = loadavg()[0];
  for (let r = 0; r < runs; r++) for (const [name, args] of cases) times.get(name)!.push(wall(args));
  console.log(`item 2, ${runs} runs each, interleaved, load average ${load.toFixed(2)} -> ${loadavg()[0].toFixed(2)}`);
  for (const [name, xs] of times)
    console.log(`  ${name}: median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
