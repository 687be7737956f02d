// Measurement (7): the speed and memory bounds that were once asserted inside tests (hostile
// Dockerfiles, discovery, a 100k-file context, hostile and huge archives, a 2 GB preview). The
// tests keep proving what happens; how fast and in how much memory is measured here, each
// against the bound the test used to assert. Run by `npm run bench` (full sizes; `--quick`:
// small sizes that only keep the code running), or alone: `npx tsx bench/bounds.ts [--quick]`.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { connectEngine } from '../electron/core/docker/connection.ts';
import { createBuildContext } from '../electron/core/docker/context.ts';
import { parseDockerfile } from '../electron/core/dockerfile/parse.ts';
import { planTarget } from '../electron/core/dockerfile/plan.ts';
import { findDockerfiles } from '../electron/core/project/discover.ts';
import { makeTar, ociArchive, type TarEntry } from '../electron/core/image/archive/testing/archives.ts';
import { writeManyEntriesArchive } from '../tests/support/big-archive.ts';
import type { FixtureSize } from './fixture.ts';
import type { BoundFigure } from './types.ts';

const run = promisify(execFile);
const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const BUSYBOX = 'stagescope-test/busybox:1';

/** Full sizes are the ones the tests use; quick ones only keep the measurement code running. */
const SIZES = {
  full: { stages: 1000, lineBytes: 1024 * 1024, contextDirs: 100, perDir: 1000, archiveDirs: 1000, sparse: '2G' },
  quick: { stages: 100, lineBytes: 64 * 1024, contextDirs: 4, perDir: 250, archiveDirs: 10, sparse: '64M' },
};

const parse = (text: string) => parseDockerfile(text, { path: 'Dockerfile', platform: 'linux/amd64' });

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const kib = (n: number) => (n >= 1024 * 1024 ? `${n / 1024 / 1024} MB` : `${n / 1024} KB`);

function parseBounds(size: (typeof SIZES)['full']): BoundFigure[] {
  const lines = ['FROM stagescope-test/busybox:1 AS s0', 'RUN true'];
  for (let i = 1; i < size.stages; i++) lines.push(`FROM s${i - 1} AS s${i}`, `COPY --from=s${Math.floor(i / 2)} /a /a${i}`);
  const chained = timed(() => planTarget(parse(lines.join('\n') + '\n'), undefined));
  const longLine = timed(() => parse(`FROM ${BUSYBOX}\nRUN echo ${'x'.repeat(size.lineBytes)}\n`));
  const badLine = timed(() => {
    try {
      parse('x'.repeat(size.lineBytes) + '\nFROM a\n');
    } catch {
      return; // the error is expected (hostile.test.ts checks its wording)
    }
    throw new Error('a line with no instruction before FROM parsed');
  });
  return [
    { id: 'parse-stages', what: `parse + plan of ${size.stages} chained stages`, test: 'hostile.test.ts', ms: chained, limitMs: 5000 },
    { id: 'parse-line', what: `parse of a ${kib(size.lineBytes)} RUN line`, test: 'hostile.test.ts', ms: longLine, limitMs: 15_000 },
    {
      id: 'parse-bad-line',
      what: `rejection of a ${kib(size.lineBytes)} line before FROM`,
      test: 'hostile.test.ts',
      ms: badLine,
      limitMs: 5000,
    },
  ];
}

/** discover.test.ts's folder: symlink loops, a FIFO, a folder named Dockerfile.dir, 40 levels. */
async function discoverBound(root: string): Promise<BoundFigure> {
  await writeFile(join(root, 'Dockerfile'), 'FROM scratch\n');
  await mkdir(join(root, 'a/b'), { recursive: true });
  await symlink('..', join(root, 'a/b/up'));
  await symlink(root, join(root, 'a/self'));
  await run('mkfifo', [join(root, 'Dockerfile.fifo')]);
  let deep = root;
  for (let i = 0; i < 40; i++) deep = join(deep, 'd');
  await mkdir(deep, { recursive: true });
  await writeFile(join(deep, 'Dockerfile'), 'FROM scratch\n');
  const ms = await timedAsync(() => findDockerfiles(root));
  return {
    id: 'discover',
    what: 'Dockerfile discovery in a hostile folder (loops, FIFO, 40 levels)',
    test: 'discover.test.ts',
    ms,
    limitMs: 5000,
  };
}

async function drain(stream: NodeJS.ReadableStream): Promise<void> {
  for await (const chunk of stream) void chunk;
}

/** context-large.test.ts's folder: empty files made by touch, then the context streamed. */
async function contextBounds(root: string, size: (typeof SIZES)['full']): Promise<BoundFigure[]> {
  await writeFile(join(root, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  const script = `for d in $(seq 0 ${size.contextDirs - 1}); do mkdir -p big/d$d && (cd big/d$d && seq 0 ${size.perDir - 1} | sed 's/^/f/' | xargs touch); done`;
  await run('sh', ['-c', script], { cwd: root });
  const files = size.contextDirs * size.perDir;
  const send = () => createBuildContext(root, { dockerfile: join(root, 'Dockerfile'), onProgress: () => {} }).then((c) => drain(c.stream));
  const whole = await timedAsync(send);
  await writeFile(join(root, '.dockerignore'), 'big\n');
  const ignored = await timedAsync(send);
  return [
    { id: 'context', what: `build context of ${files} files streamed`, test: 'context-large.test.ts', ms: whole, limitMs: 60_000 },
    {
      id: 'context-ignored',
      what: `the same with the folder in .dockerignore`,
      test: 'context-large.test.ts',
      ms: ignored,
      limitMs: 5000,
      note: `${(ignored / whole).toFixed(3)} x the whole context (not walked: far below 1)`,
    },
  ];
}

/** `stagescope inspect FILE --json` on a 512 MiB heap; its peak RSS from bench/rss-on-exit.mjs. */
async function inspectCli(file: string): Promise<{ ms: number; rssMB: number; code: number }> {
  const rssFile = `${file}.rss`;
  const env = { ...process.env, NODE_OPTIONS: '--max-old-space-size=512', STAGESCOPE_BENCH_RSS_FILE: rssFile };
  const t0 = performance.now();
  const code = await new Promise<number>((resolve, reject) => {
    const args = ['--import', join(REPO, 'bench/rss-on-exit.mjs'), join(REPO, 'bin/stagescope.js'), 'inspect', file, '--json'];
    const p = spawn(process.execPath, args, { env, stdio: 'ignore' });
    p.on('error', reject);
    p.on('close', (c) => resolve(c ?? 1));
  });
  const ms = performance.now() - t0;
  const kb = Number(await readFile(rssFile, 'utf8'));
  return { ms, rssMB: kb / 1024, code };
}

async function archiveBounds(dir: string, size: (typeof SIZES)['full']): Promise<BoundFigure[]> {
  const entries: TarEntry[] = [];
  let path = '';
  for (let i = 0; i < 4096; i++) {
    path += 'd/';
    entries.push({ name: path, type: 'directory', pax: { path } });
  }
  entries.push({ name: 'leaf', content: 'x', pax: { path: `${path}leaf` } });
  const deepFile = join(dir, 'deep.tar');
  await writeFile(deepFile, await ociArchive([{ tags: ['stagescope-bench/deep:1'], layers: [{ tar: await makeTar(entries) }] }]));
  const deep = await inspectCli(deepFile);
  if (deep.code !== 1) throw new Error(`inspect of the 4,096-deep archive exited ${deep.code}, not 1`);
  const big = await writeManyEntriesArchive(join(dir, 'many.tar'), size.archiveDirs, 1000);
  const many = await inspectCli(big.path);
  if (many.code !== 0) throw new Error(`inspect of the ${big.entries}-entry archive exited ${many.code} on a 512 MiB heap`);
  return [
    {
      id: 'archive-deep',
      what: '`inspect` of a 4,096-deep archive (refused)',
      test: 'archives-cli.test.ts',
      ms: deep.ms,
      limitMs: 30_000,
      rssMB: deep.rssMB,
    },
    {
      id: 'archive-entries',
      what: `\`inspect\` of a ${big.entries}-entry archive, 512 MiB heap`,
      test: 'archives-cli.test.ts',
      ms: many.ms,
      limitMs: 90_000,
      rssMB: many.rssMB,
    },
  ];
}

/** preview.test.ts's image (a sparse file made by busybox truncate), read in a child process. */
async function previewBound(dir: string, size: (typeof SIZES)['full']): Promise<BoundFigure> {
  const tag = `stagescope-bench/preview:${process.pid}`;
  await writeFile(join(dir, 'Dockerfile'), `FROM ${BUSYBOX}\nRUN truncate -s ${size.sparse} /big\n`);
  await run('docker', ['build', '-q', '--network', 'none', '-t', tag, dir]);
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(REPO, 'bench/preview-child.ts'), tag, '/big'], { cwd: REPO });
    const r = JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number; rssGrowthMB: number; bytes: number };
    return {
      id: 'preview',
      what: `preview of a ${size.sparse}B sparse file (first MiB, helper container)`,
      test: 'preview.test.ts',
      ms: r.ms,
      limitMs: 15_000,
      rssMB: r.rssGrowthMB,
      limitRssMB: 256,
      note: 'RSS: growth of the process during the read (sampled)',
    };
  } finally {
    await run('docker', ['image', 'rm', '-f', tag]).catch(() => undefined);
  }
}

export async function measureBounds(variant: FixtureSize, log: (msg: string) => void): Promise<BoundFigure[]> {
  const size = SIZES[variant];
  const dir = await mkdtemp(join(tmpdir(), 'stagescope-bench-bounds-'));
  const sub = async (name: string) => {
    const d = join(dir, name);
    await mkdir(d);
    return d;
  };
  try {
    log('(7) Dockerfile parse bounds');
    const out = parseBounds(size);
    log('(7) discovery');
    out.push(await discoverBound(await sub('discover')));
    log('(7) build context');
    out.push(...(await contextBounds(await sub('context'), size)));
    log('(7) archives');
    out.push(...(await archiveBounds(await sub('archives'), size)));
    log('(7) preview');
    out.push(await previewBound(await sub('preview'), size));
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await connectEngine(); // a clear error when no engine answers, before generating anything
  const figures = await measureBounds(process.argv.includes('--quick') ? 'quick' : 'full', (m) => process.stderr.write(`bench: ${m}\n`));
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
