// `npx tsx bench/history.ts [--quick] [--runs N]`: timings of build-over-build comparison and
// lineage (issue 11) on the benchmark's fixture (bench/fixture.ts: about 100k layer entries in
// the full size). Two analyses (the second after a late change), then, in this process:
//   compare: compareAnalysis of the second against the first's snapshot, baseline trees loaded
//            from the snapshot store each time (cold) - what `stagescope compare` does after its build;
//   compare-big: the same work for a 100k-entry stage (baseline tree from pinned indexes + diff);
//   why:     whyPath of a file on a 100k-entry stage, once the stage is analyzed;
//   why-copy: whyPath of a file of the final stage that came through COPY --from (two stages).
// Prints medians; it is not part of CI (a full run builds the Go fixture: minutes).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectEngine } from '../electron/core/docker/connection.ts';
import { removeImagesByLabel } from '../electron/core/docker/images.ts';
import { PROJECT_LABEL } from '../electron/core/project/naming.ts';
import { analyzeDockerfile } from '../electron/core/project/analyze.ts';
import { compareAnalysis, layersInMemory } from '../electron/core/history/compare.ts';
import { loadSnapshotTree, resolveBaseline, SnapshotStore } from '../electron/core/history/index.ts';
import { semanticDiff } from '../electron/core/image/semantic-diff.ts';
import { whyPath } from '../electron/core/lineage/why.ts';
import { createFixture, type FixtureSize } from './fixture.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function time<T>(runs: number, fn: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), result };
}

export async function main(argv: string[]): Promise<number> {
  const size: FixtureSize = argv.includes('--quick') ? 'quick' : 'full';
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Math.max(1, Number(argv[runsAt + 1]) || 1) : 5;
  const cacheDir = await mkdtemp(join(tmpdir(), 'stagescope-bench-history-'));
  const fixture = await createFixture(size);
  const conn = await connectEngine();
  try {
    const store = await SnapshotStore.open({ dir: cacheDir });
    const analyze = () => analyzeDockerfile(conn, { dockerfile: fixture.dockerfile, options: {}, snapshots: store, layerCache: null });
    process.stderr.write(`bench-history: building the ${size} fixture (first analysis)\n`);
    await analyze();
    await fixture.write('initial', 2);
    process.stderr.write('bench-history: second analysis after a late change\n');
    const second = await analyze();
    const compare = await time(runs, async () => {
      const base = await resolveBaseline('last', { store, dockerfile: fixture.dockerfile, exclude: second.snapshot?.id });
      return compareAnalysis(second, base);
    });
    const prune = second.model.stages.findIndex((s) => s.name === 'prune');
    // The worst case of a compare: a 100k-entry stage whose image changed: its baseline tree is
    // rebuilt from the pinned layer indexes and diffed (with moves) against the current tree.
    const inMemory = layersInMemory(second);
    const loadMs: number[] = [];
    const bigStage = await time(runs, async () => {
      const base = await resolveBaseline('last', { store, dockerfile: fixture.dockerfile, exclude: second.snapshot?.id });
      const t0 = performance.now();
      const before = await loadSnapshotTree(base, prune, inMemory);
      loadMs.push(performance.now() - t0);
      return semanticDiff(before!.tree, second.stages.get(prune)!.tree);
    });
    // The same with nothing in memory: every baseline layer read from the store (the images
    // and the current analysis share nothing, e.g. after a base image upgrade).
    const coldLoad = await time(runs, async () => {
      const base = await resolveBaseline('last', { store, dockerfile: fixture.dockerfile, exclude: second.snapshot?.id });
      return loadSnapshotTree(base, prune);
    });
    const final = second.report.targetIndex;
    const entries = second.stages.get(prune)!.layers.reduce((n, l) => n + l.entries.length, 0);
    const why = await time(runs * 4, () => whyPath(second, prune, '/data/d0/f1'));
    const whyCopy = await time(runs * 4, () => whyPath(second, final, '/data/f1'));
    const out = {
      size,
      runs,
      stageEntries: entries,
      compareMs: Math.round(compare.ms),
      compareStages: compare.result.stages.map((s) => `${s.name}:${s.status}`).join(' '),
      compareBigStageMs: Math.round(bigStage.ms),
      compareBigStageTreeMs: Math.round(median(loadMs)),
      baselineTreeFromStoreMs: Math.round(coldLoad.ms),
      compareBigStageChanges: bigStage.result.added.length + bigStage.result.removed.length + bigStage.result.modified.length,
      whyMs: Number(why.ms.toFixed(1)),
      whySteps: why.result.steps.length,
      whyCopyMs: Number(whyCopy.ms.toFixed(1)),
      whyCopySteps: whyCopy.result.steps.map((s) => `${s.stage?.name}:L${s.line}:${s.change}`).join(' '),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  } finally {
    await removeImagesByLabel(conn.docker, `${PROJECT_LABEL}=${resolve(fixture.dockerfile)}`).catch(() => undefined);
    await rm(fixture.dir, { recursive: true, force: true });
    await rm(cacheDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
