// A project folder of 100k files: the build context streams all of them with progress, in
// bounded time, and .dockerignore keeps an excluded folder out without walking into it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuildContext } from './context.ts';
import { sessionContext } from './session-context.ts';
import { syncEntries } from './sync-walk.ts';

const DIRS = 100;
const PER_DIR = 1000;
let root = '';
const run = promisify(execFile);

async function countEntries(stream: NodeJS.ReadableStream): Promise<number> {
  const ex = extract();
  let n = 0;
  const done = (async () => {
    for await (const entry of ex) {
      n++;
      entry.resume();
    }
  })();
  stream.pipe(ex as unknown as NodeJS.WritableStream);
  await done;
  return n;
}

// Made with touch (one process per folder): 100k writeFile calls alone would take longer than the
// test. Empty files: the per-entry costs (walk, header, progress) are what this measures;
// file contents are streamed by the same code the other context tests check.
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stagescope-context-100k-'));
  await writeFile(join(root, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  const script = `for d in $(seq 0 ${DIRS - 1}); do mkdir -p big/d$d && (cd big/d$d && seq 0 ${PER_DIR - 1} | sed 's/^/f/' | xargs touch); done`;
  await run('sh', ['-c', script], { cwd: root });
}, 120_000);
afterAll(() => run('rm', ['-rf', root]), 120_000);

describe('build context of 100k files', () => {
  it('streams every file with progress reports, the last one marked done', { timeout: 120_000 }, async () => {
    const reports: { entries: number; bytes: number; done: boolean }[] = [];
    const ctx = await createBuildContext(root, { dockerfile: join(root, 'Dockerfile'), onProgress: (p) => reports.push(p) });
    const files = DIRS * PER_DIR;
    // Files, their folders, big/ and the Dockerfile.
    expect(ctx.fileCount).toBe(files + DIRS + 2);
    expect(await countEntries(ctx.stream)).toBe(ctx.fileCount);
    expect(reports.length).toBeGreaterThan(100);
    const entries = reports.map((r) => r.entries);
    expect(entries).toEqual([...entries].sort((a, b) => a - b));
    expect(reports.at(-1)).toEqual({ entries: ctx.fileCount, bytes: 'FROM scratch\nCOPY . /\n'.length, done: true });
    expect(reports.filter((r) => r.done)).toHaveLength(1);
  });

  it('over a BuildKit session: every stat is sent as the walk goes, one at a time', { timeout: 120_000 }, async () => {
    // What the sender keeps is one entry at a time (plus the id -> path map of regular files,
    // as fsutil keeps): count them as they come, holding none.
    let n = 0;
    let maxHeapGrowth = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    for await (const e of syncEntries({ root }, { includePatterns: [], excludePatterns: [], followPaths: [] }, () => false)) {
      n++;
      if (e.stat.path.endsWith('f999')) maxHeapGrowth = Math.max(maxHeapGrowth, process.memoryUsage().heapUsed - heapBefore);
    }
    expect(n).toBe(DIRS * PER_DIR + DIRS + 2); // files, their folders, big/ and the Dockerfile
    expect(maxHeapGrowth).toBeLessThan(200 * 1024 * 1024);
    const ctx = await sessionContext(root, { dockerfile: join(root, 'Dockerfile') });
    expect(ctx.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('honours .dockerignore: the excluded folder is not sent', async () => {
    await writeFile(join(root, '.dockerignore'), 'big\n');
    try {
      const ctx = await createBuildContext(root, { dockerfile: join(root, 'Dockerfile') });
      expect(ctx.fileCount).toBe(2); // Dockerfile and .dockerignore
      expect(await countEntries(ctx.stream)).toBe(2);
      // Over a session the frontend passes the same lines as exclude patterns.
      const sent: string[] = [];
      for await (const e of syncEntries({ root }, { includePatterns: [], excludePatterns: ['big'], followPaths: [] }, () => false))
        sent.push(e.stat.path);
      expect(sent).toEqual(['.dockerignore', 'Dockerfile']);
    } finally {
      await rm(join(root, '.dockerignore'));
    }
  });
});
