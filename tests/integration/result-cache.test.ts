// Issue 13 item 3: per-stage results (file counts, sizes, efficiency, layer summaries) and COPY
// attributions are cached by image id beside the layer cache, and the trees of stages served
// from it are built only when asked for. The cached report must be the uncached one, after a
// late change too, and a corrupt cache file must be rebuilt, never trusted.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDockerfile, type Analysis } from '../../electron/core/project/analyze.ts';
import { PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { LayerCache } from '../../electron/core/image/cache/index.ts';
import { diffTrees } from '../../electron/core/image/diff.ts';
import { checkProject } from '../../electron/core/check/project-check.ts';
import { compareAnalysis } from '../../electron/core/history/compare.ts';
import { resolveBaseline, SnapshotStore } from '../../electron/core/history/index.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { engine } from './harness.ts';

const BASE = 'stagescope-test/busybox:1';
const dockerfileText = (late: number) =>
  [
    `FROM ${BASE} AS gen`,
    'RUN mkdir -p /gen/sub && seq 1 300 > /gen/sub/n.txt && echo a > /gen/a && echo x > /gen/sub/x',
    'FROM gen AS more',
    // Overwrites a lower file (waste for the efficiency) and deletes one (a whiteout).
    'RUN echo bb > /gen/a && rm /gen/sub/x',
    `FROM ${BASE}`,
    'WORKDIR /w',
    'COPY --from=more /gen/ ./g/',
    'COPY --from=gen /gen/sub/n.txt /n.txt',
    `RUN echo late-${late} > /late`,
    '',
  ].join('\n');

let dir: string;
let dockerfile: string;
let cacheRoot: string;

async function analyze(cached: boolean): Promise<Analysis> {
  return analyzeDockerfile(await engine(), {
    dockerfile,
    options: { allStages: true },
    layerCache: cached ? await LayerCache.open({ dir: cacheRoot }) : null,
    snapshots: null,
  });
}

async function resultFiles(kind: string): Promise<string[]> {
  const cache = await LayerCache.open({ dir: cacheRoot });
  return (await readdir(cache.dir)).filter((n) => n.startsWith(`result-${kind}-`)).map((n) => join(cache.dir, n));
}

/** The trees (built lazily for restored stages) hold what the uncached analysis' trees hold. */
function expectSameTrees(a: Analysis, b: Analysis) {
  expect([...a.stages.keys()]).toEqual([...b.stages.keys()]);
  for (const [i, s] of a.stages) {
    const d = diffTrees(s.tree, b.stages.get(i)!.tree);
    expect(d.added.length + d.removed.length + d.modified.length).toBe(0);
    expect(s.tree.fileCount).toBe(b.stages.get(i)!.tree.fileCount);
    expect(s.changes.map((c) => c.added.length)).toEqual(b.stages.get(i)!.changes.map((c) => c.added.length));
  }
}

beforeAll(async () => {
  dir = await makeTempDir();
  cacheRoot = await makeTempDir('stagescope-result-cache-');
  dockerfile = join(dir, 'Dockerfile');
  await writeFile(dockerfile, dockerfileText(1));
});

afterAll(async () => {
  const conn = await engine();
  const images = await conn.docker.listImages({ filters: { label: [`${PROJECT_LABEL}=${dockerfile}`] } });
  for (const img of images)
    await conn.docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await removeTempDirs();
});

describe('per-stage result cache', () => {
  it('gives the uncached report, defers every layer when all stages are cached, and misses a changed image id', async () => {
    const uncached = await analyze(false);
    expect(uncached.report.stages[1].efficiency.wastedBytes).toBeGreaterThan(0);
    expect(uncached.report.copies.map((c) => c.files.length)).toEqual([2, 1]);

    const first = await analyze(true);
    expect(first.report).toEqual(uncached.report);
    expect(await resultFiles('stage')).toHaveLength(3);
    expect(await resultFiles('copy')).toHaveLength(4);

    const second = await analyze(true);
    expect(second.report).toEqual(uncached.report);
    // Every stage came from the result cache: no layer was parsed or even read from the layer cache.
    expect(second.layerStats).toEqual({ parsed: 0, cached: 0 });
    expectSameTrees(second, uncached);

    // The last RUN changes: only the final stage's image id is new, so only its summary misses,
    // and its COPYs (same layers, same sources) are attributed without the source trees.
    await writeFile(dockerfile, dockerfileText(2));
    const late = await analyze(true);
    const lateUncached = await analyze(false);
    expect(late.report.stages[2].image!.id).not.toBe(uncached.report.stages[2].image!.id);
    expect(late.report).toEqual(lateUncached.report);
    expect(await resultFiles('stage')).toHaveLength(4);
    expectSameTrees(late, lateUncached);
  });

  it('after a late change, the checks and the comparison the app asks for read no layer of an unchanged stage', async () => {
    const conn = await engine();
    const cache = await LayerCache.open({ dir: cacheRoot });
    const store = await SnapshotStore.open({ dir: cacheRoot });
    const run = () => analyzeDockerfile(conn, { dockerfile, options: { allStages: true }, layerCache: cache, snapshots: store });
    await writeFile(dockerfile, dockerfileText(3));
    await run();
    await writeFile(dockerfile, dockerfileText(4));
    const late = await run();
    // Stages served from the result cache read a layer through getSync when something asks for it.
    const reads: string[] = [];
    const getSync = cache.getSync.bind(cache);
    cache.getSync = (diffId) => {
      reads.push(diffId);
      return getSync(diffId);
    };
    const checks = await checkProject(dir, late, conn);
    const baseline = await resolveBaseline('last', {
      store,
      dockerfile,
      target: late.report.target,
      exclude: late.snapshot?.id,
      layerCache: cache,
    });
    const compared = await compareAnalysis(late, baseline);
    // whole-stage-copy judged `COPY --from=more /gen/` (a few bytes of a busybox stage) against
    // the stage's bytes, from its summary.
    expect(checks.results.filter((r) => r.rule === 'whole-stage-copy').map((r) => r.passed)).toEqual([true]);
    expect(compared.stages.map((s) => s.status)).toEqual(['unchanged', 'unchanged', 'changed']);
    expect(compared.stages[2].added.map((a) => a.path)).toEqual([]);
    expect(compared.stages[2].modified.map((m) => m.path)).toEqual(['/late']);
    expect(reads).toEqual([]);
    // Asking for a builder stage's tree still works: its layers are read then.
    expect(late.stages.get(1)!.tree.get('/gen/a')?.size).toBe(3);
    expect(reads.length).toBeGreaterThan(0);
  });

  it('rebuilds corrupt or tampered result files instead of trusting them', async () => {
    const expected = (await analyze(false)).report;
    await analyze(true);
    const files = [...(await resultFiles('stage')), ...(await resultFiles('copy'))];
    expect(files.length).toBeGreaterThan(0);
    for (const [n, file] of files.entries()) {
      const doc = JSON.parse(await readFile(file, 'utf8')) as { key: string };
      // Half the files are not JSON at all; the others are well formed with a value of the wrong shape.
      await writeFile(file, n % 2 ? '{"v":1,"key":' : JSON.stringify({ v: 1, key: doc.key, value: { fileCount: -1 } }));
    }
    const again = await analyze(true);
    expect(again.report).toEqual(expected);
    // The summaries of the current stages were read, refused and written again (result files
    // are named by a digest of their key, here the image id).
    const { dir: cacheDir } = await LayerCache.open({ dir: cacheRoot });
    for (const s of expected.stages) {
      const name = `result-stage-${createHash('sha256').update(s.image!.id).digest('hex')}.json`;
      const doc = JSON.parse(await readFile(join(cacheDir, name), 'utf8')) as { value: { fileCount: number } };
      expect(doc.value.fileCount).toBe(s.fileCount);
    }
    const restored = await analyze(true);
    expect(restored.layerStats).toEqual({ parsed: 0, cached: 0 });
    expect(restored.report).toEqual(expected);
  });
});
