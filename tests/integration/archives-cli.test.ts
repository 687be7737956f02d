// Hostile `docker save` archives through the command line (`stagescope inspect FILE`), the same
// reader the app uses: each bad one exits 1 with one sentence on stderr and nothing on stdout;
// the odd but valid ones are read; a million entries stay within bounded time and memory.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTar, ociArchive, type TarEntry } from '../../electron/core/image/archive/testing/archives.ts';
import { writeManyEntriesArchive } from '../support/big-archive.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import type { InspectReport } from '../../shared/model.ts';

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `stagescope inspect FILE --json` with a bounded heap (`heapMiB`), never rejecting. */
async function inspect(file: string, heapMiB = 512): Promise<CliResult> {
  const started = performance.now();
  const env = { ...process.env, NODE_OPTIONS: `--max-old-space-size=${heapMiB}` };
  try {
    const { stdout, stderr } = await run('node', ['bin/stagescope.js', 'inspect', file, '--json'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr, ms: performance.now() - started };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, ms: performance.now() - started };
  }
}

/** Exit 1, stdout empty, stderr one line "stagescope: <sentence>" matching `pattern`. */
function expectOneSentenceFailure(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^stagescope: [A-Z]/);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0].length).toBeLessThan(600);
}

async function archiveOf(layers: TarEntry[][]): Promise<Buffer> {
  return ociArchive([
    { tags: ['stagescope-test/hostile:1'], layers: await Promise.all(layers.map(async (l) => ({ tar: await makeTar(l) }))) },
  ]);
}

let dir = '';
const write = async (name: string, data: Buffer) => {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
};

beforeAll(async () => {
  dir = await makeTempDir('stagescope-archives-');
});
afterAll(removeTempDirs);

describe('stagescope inspect on hostile archives', () => {
  it('random bytes, a truncated archive and a corrupt gzip: exit 1, one sentence', async () => {
    const good = await archiveOf([[{ name: 'a.txt', content: 'hello' }]]);
    const random = Buffer.alloc(64 * 1024);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    const gz = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expectOneSentenceFailure(await inspect(await write('random.tar', random)), /not a valid tar|could not be read/);
    expectOneSentenceFailure(
      await inspect(await write('cut.tar', good.subarray(0, Math.floor(good.length / 2)))),
      /not a valid tar|ends early|has no/,
    );
    expectOneSentenceFailure(await inspect(await write('bad.tar.gz', gz)), /gzip|compress|not a valid|could not be read/i);
  });

  it('4,096-deep directories: refused by the depth limit, exit 1', async () => {
    const entries: TarEntry[] = [];
    let path = '';
    for (let i = 0; i < 4096; i++) {
      path += 'd/';
      entries.push({ name: path, type: 'directory', pax: { path } });
    }
    entries.push({ name: 'leaf', content: 'x', pax: { path: `${path}leaf` } });
    const r = await inspect(await write('deep.tar', await archiveOf([entries])));
    expectOneSentenceFailure(r, /deep|depth|long|limit/i);
  });

  it('a manifest pointing at a missing blob: exit 1 naming the blob', async () => {
    const good = await archiveOf([[{ name: 'a.txt', content: 'hello' }]]);
    // Re-pack the archive without its layer blob (the largest blob is the layer tar).
    const { unpackTar } = await import('../../electron/core/image/archive/testing/archives.ts');
    const entries = await unpackTar(good);
    const blobs = entries.filter((e) => e.name.startsWith('blobs/sha256/') && e.content);
    const layer = blobs.reduce((a, b) => ((a.content as Buffer).length >= (b.content as Buffer).length ? a : b));
    const broken = await makeTar(entries.filter((e) => e !== layer));
    expectOneSentenceFailure(await inspect(await write('missing-blob.tar', broken)), /missing|not in the archive|has no/i);
  });

  it('a hardlink to a missing target and a whiteout of a path that never existed are read, not fatal', async () => {
    const archive = await archiveOf([
      [
        { name: 'etc/', type: 'directory' },
        { name: 'etc/passwd', content: 'root:x:0:0' },
      ],
      [
        { name: 'bin/', type: 'directory' },
        { name: 'bin/ghost-link', type: 'link', linkname: 'no/such/target' },
        { name: 'nowhere/', type: 'directory' },
        { name: 'nowhere/.wh.never-existed', content: '' },
        { name: 'etc/.wh.not-there', content: '' },
      ],
    ]);
    const r = await inspect(await write('odd.tar', archive));
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as InspectReport;
    expect(report.images).toHaveLength(1);
    const layers = report.images[0].layers;
    expect(layers).toHaveLength(2);
    // Nothing to remove: a whiteout of a path no lower layer has removes nothing.
    expect(layers[1].removed).toBe(0);
    // passwd survives, plus the dangling hardlink: two non-directory entries.
    expect(report.images[0].fileCount).toBe(2);
  });

  it('one million entries: read on a 512 MiB heap', { timeout: 240_000 }, async () => {
    const big = await writeManyEntriesArchive(join(dir, 'many.tar'), 1000, 1000);
    expect(big.entries).toBe(1_001_000);
    const r = await inspect(big.path, 512);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as InspectReport;
    expect(report.images[0].fileCount).toBe(1_000_000);
  });
});
