// `npm run bench [-- --quick] [--json] [--runs N] [--no-write]`: builds the benchmark fixture on
// the local engine, takes measurements (1)-(7) described in BENCHMARKS.md, prints a table
// (or JSON), and appends the figures to BENCHMARKS.md (full runs only, unless --no-write).
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectEngine, type Connection } from '../electron/core/docker/connection.ts';
import { inspectImage, removeImagesByLabel } from '../electron/core/docker/images.ts';
import { PROJECT_LABEL } from '../electron/core/project/naming.ts';
import { resolve } from 'node:path';
import { StageScopeError } from '../shared/errors.ts';
import { createFixture, FINAL_BASE, type Fixture, type FixtureSize } from './fixture.ts';
import { runAnalysisChild, timeDockerSave, timeFinalBuild, timeStageByStage } from './measure.ts';
import { measureBrowser } from './browser.ts';
import { measureBounds } from './bounds.ts';
import { markdownSection, textReport } from './report.ts';
import { judge } from './targets.ts';
import type { BenchResult, ChildResult } from './types.ts';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));

interface Args {
  size: FixtureSize;
  json: boolean;
  runs: number;
  write: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { size: 'full', json: false, runs: 3, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.size = 'quick';
    else if (a === '--json') args.json = true;
    else if (a === '--no-write') args.write = false;
    else if (a === '--write') args.write = true;
    else if (a === '--runs') args.runs = Math.max(1, Number(argv[++i]) || 1);
    else throw new StageScopeError('usage', `Unknown option ${a}.`, 'Use --quick, --json, --runs N, --write or --no-write.');
  }
  if (args.size === 'quick' && !argv.includes('--runs')) args.runs = 1;
  if (args.size === 'quick') args.write = args.write && argv.includes('--write');
  return args;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const nonce = () => randomBytes(6).toString('hex');

async function requireImages(conn: Connection, refs: string[]): Promise<void> {
  for (const ref of refs) {
    await inspectImage(conn.docker, ref).catch(() => {
      throw new StageScopeError(
        'not-found',
        `The base image ${ref} is missing.`,
        'Build the base images: bash scripts/ci/build-base-images.sh (or run .ci/run).',
      );
    });
  }
}

async function measureBuilds(conn: Connection, fixture: Fixture, runs: number): Promise<BenchResult['builds']> {
  // Cold: a fresh nonce in the first RUN makes every step new to BuildKit's cache, without
  // pruning the engine's shared cache. Stage-by-stage and the single build each get their own.
  await fixture.write(nonce(), 1);
  log('(5) cold, stage by stage');
  const coldStageByStage = await timeStageByStage(conn, fixture);
  await fixture.write(nonce(), 1);
  log('(5) cold, one build of the final target');
  const coldFinal = await timeFinalBuild(conn, fixture);
  // Warm: the same file again. One unmeasured stage-by-stage build first: the final build
  // cached every step, but the intermediate stage images themselves do not exist yet.
  await timeStageByStage(conn, fixture);
  const staged: number[] = [];
  const final: number[] = [];
  for (let i = 0; i < runs; i++) {
    log(`(5) warm, run ${i + 1}/${runs}`);
    staged.push(await timeStageByStage(conn, fixture));
    final.push(await timeFinalBuild(conn, fixture));
  }
  return { coldStageByStage, coldFinal, warmStageByStage: median(staged), warmFinal: median(final) };
}

async function measureAnalysis(fixture: Fixture, runs: number, cacheRoot: string) {
  const saves: number[] = [];
  const results: ChildResult[] = [];
  let cacheDir = '';
  // A first, unmeasured analysis: the stage images get tagged and the page cache warms up.
  const warmup = await runAnalysisChild(fixture.dockerfile, await mkdtemp(join(cacheRoot, 'warmup-')));
  const ids = warmup.stages.map((s) => s.imageId);
  await timeDockerSave(ids);
  for (let i = 0; i < runs; i++) {
    log(`(1)+(2) run ${i + 1}/${runs}`);
    saves.push(await timeDockerSave(ids));
    // An empty layer cache each time: every layer is parsed.
    cacheDir = await mkdtemp(join(cacheRoot, 'run-'));
    results.push(await runAnalysisChild(fixture.dockerfile, cacheDir));
  }
  return { saves, results, lastCacheDir: cacheDir };
}

async function measureReanalysis(fixture: Fixture, runs: number, cacheDir: string, nonceValue: string) {
  const results: ChildResult[] = [];
  for (let i = 0; i < runs; i++) {
    log(`(4) run ${i + 1}/${runs}`);
    // Only the final stage's last RUN changes; the layer cache holds everything else.
    await fixture.write(nonceValue, 2 + i);
    results.push(await runAnalysisChild(fixture.dockerfile, cacheDir));
  }
  return results;
}

export async function runBench(args: Args): Promise<BenchResult> {
  const conn = await connectEngine();
  const fixture = await createFixture(args.size);
  await requireImages(conn, [fixture.shape.base, FINAL_BASE]);
  const cacheRoot = await mkdtemp(join(tmpdir(), 'stagescope-bench-cache-'));
  try {
    const builds = await measureBuilds(conn, fixture, args.runs);
    const fixtureNonce = (await readFile(fixture.dockerfile, 'utf8')).match(/echo ([0-9a-f]+) >/)![1];
    const { saves, results, lastCacheDir } = await measureAnalysis(fixture, args.runs, cacheRoot);
    const re = await measureReanalysis(fixture, args.runs, lastCacheDir, fixtureNonce);
    const browser = await measureBrowser(conn, args.size, log);
    const bounds = await measureBounds(args.size, log);
    const first = results[0];
    const partial: Omit<BenchResult, 'targets'> = {
      variant: args.size,
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      command: `npm run bench${args.size === 'quick' ? ' -- --quick' : ''}`,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        engine: conn.info.version,
      },
      runs: args.runs,
      fixture: { stages: first.stages, layers: first.layers, layerEntries: first.layerEntries, layerTarBytes: first.layerTarBytes },
      saveMs: median(saves),
      analysis: {
        wallMs: median(results.map((r) => r.wallMs)),
        analysisMs: median(results.map((r) => r.analysisMs)),
        cpuMs: median(results.map((r) => r.cpuMs)),
        analysisCpuMs: median(results.map((r) => r.analysisCpuMs)),
        appCpuMs: median(results.map((r) => r.appCpuMs)),
        diffTabCpuMs: median(results.map((r) => r.diffTabCpuMs)),
        maxRssMB: Math.max(...results.map((r) => r.maxRssMB)),
        layersParsed: median(results.map((r) => r.layersParsed)),
      },
      diff: { stages: first.diff.stages, ms: median(results.map((r) => r.diff.ms)), entries: first.diff.entries },
      reanalysis: {
        wallMs: median(re.map((r) => r.wallMs)),
        analysisMs: median(re.map((r) => r.analysisMs)),
        cpuMs: median(re.map((r) => r.cpuMs)),
        analysisCpuMs: median(re.map((r) => r.analysisCpuMs)),
        appCpuMs: median(re.map((r) => r.appCpuMs)),
        diffTabCpuMs: median(re.map((r) => r.diffTabCpuMs)),
        layersParsed: Math.max(...re.map((r) => r.layersParsed)),
        layers: re[0].layers,
      },
      builds,
      browser,
      bounds,
    };
    return { ...partial, targets: judge(partial) };
  } finally {
    log('cleaning up');
    await removeImagesByLabel(conn.docker, `${PROJECT_LABEL}=${resolve(fixture.dockerfile)}`).catch((e: unknown) =>
      log(`cleanup: ${String(e)}`),
    );
    await rm(fixture.dir, { recursive: true, force: true });
    await rm(cacheRoot, { recursive: true, force: true });
  }
}

async function writeBenchmarks(section: string): Promise<void> {
  const file = join(REPO, 'BENCHMARKS.md');
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) await writeFile(file, `# StageScope benchmarks\n\nFigures from \`npm run bench\` (newest last).\n\n${section}`);
  else await appendFile(file, `\n${section}`);
}

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  try {
    const result = await runBench(args);
    process.stdout.write(args.json ? JSON.stringify(result, null, 2) + '\n' : textReport(result) + '\n');
    if (args.write) await writeBenchmarks(markdownSection(result));
    return 0;
  } catch (err) {
    const e = err as StageScopeError;
    process.stderr.write(`bench failed: ${e.message}${e.hint ? `\n${e.hint}` : ''}\n`);
    if (!(err instanceof StageScopeError)) process.stderr.write(`${e.stack ?? ''}\n`);
    return 1;
  }
}
