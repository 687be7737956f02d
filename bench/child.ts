// One analysis in a process of its own, so its peak RSS and CPU time are the analysis' alone
// (the benchmark's parent keeps builds, timings and docker save out of it). Prints one JSON
// line (ChildResult) on stdout. Usage: node --import tsx bench/child.ts <Dockerfile>
// It goes through a ProjectSession, as the app does: the analysis, then what the app asks for
// after every build, then opening the Diff tab, then the diffs of consecutive stages (CPU time
// taken after each step, from the start).
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openProject, type ProjectSession } from '../electron/core/project/session.ts';
import { diffTrees } from '../electron/core/image/diff.ts';
import { StageScopeError } from '../shared/errors.ts';
import type { ChildResult } from './types.ts';

const DIFF_REPEATS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * What the app asks for once a build ends (renderer/src/state/app.svelte.ts: startBuild shows
 * the Build tab, setReport runs the checks, the graph loads the history and the comparison
 * with the build before).
 */
async function afterBuild(session: ProjectSession): Promise<void> {
  await session.check();
  await session.history.list();
  await session.history.compare({ baseline: 'last' }).catch((err: unknown) => {
    // The first analysis in a cache folder has no snapshot to compare with (the app shows none).
    if (!(err instanceof StageScopeError && err.code === 'not-found')) throw err;
  });
}

/** Opening the Diff tab then: its default pair is the first built stage against the target. */
async function diffTab(session: ProjectSession): Promise<void> {
  const report = session.report()!;
  const built = report.stages.filter((s) => s.built).map((s) => s.index);
  const pair = { a: { stage: built[0] }, b: { stage: report.targetIndex } };
  await session.diffSummary(pair);
  await session.diffRows({ ...pair, show: 'all', expanded: [], offset: 0, limit: 200 });
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(start);
  return (c.user + c.system) / 1000;
};

async function run(dockerfile: string): Promise<ChildResult> {
  const session = await openProject(dirname(dockerfile));
  await session.engine();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let exportStart = 0;
  await session.analyze(
    { dockerfile, allStages: true },
    {
      onPhase: (phase) => {
        if (phase === 'export' && exportStart === 0) exportStart = performance.now();
      },
    },
  );
  const analysis = session.current();
  // What `stagescope analyze` costs: trees not asked for by the report are not built.
  const analysisCpuMs = cpuMsSince(cpu0);
  await afterBuild(session);
  const appCpuMs = cpuMsSince(cpu0);
  await diffTab(session);
  const diffTabCpuMs = cpuMsSince(cpu0);
  // A "full analysis", as BENCHMARKS.md measured it from the start, includes the diffs of
  // consecutive stages: they ask for every stage's tree.
  const indices = [...analysis.stages.keys()].sort((a, b) => a - b);
  for (let i = 1; i < indices.length; i++) diffTrees(analysis.stages.get(indices[i - 1])!.tree, analysis.stages.get(indices[i])!.tree);
  const t1 = performance.now();
  const cpuMs = cpuMsSince(cpu0);

  // (3): the two largest stages, in process, after the analysis.
  const bySize = [...analysis.stages.entries()].sort((a, b) => b[1].tree.totalBytes - a[1].tree.totalBytes);
  const [big, second] = [bySize[0]!, bySize[1] ?? bySize[0]!];
  const diffTimes: number[] = [];
  let diffEntries = 0;
  for (let i = 0; i < DIFF_REPEATS; i++) {
    const d0 = performance.now();
    const d = diffTrees(second[1].tree, big[1].tree);
    diffTimes.push(performance.now() - d0);
    diffEntries = d.added.length + d.removed.length + d.modified.length;
  }

  const layerIds = new Set<string>();
  let entries = 0;
  let tarBytes = 0;
  for (const s of analysis.stages.values()) {
    for (const l of s.layers) {
      if (!layerIds.has(l.diffId)) {
        entries += l.entries.length;
        tarBytes += l.tarBytes;
      }
      layerIds.add(l.diffId);
    }
  }
  const stats = analysis.layerStats;
  return {
    wallMs: t1 - t0,
    analysisMs: t1 - (exportStart || t0),
    cpuMs,
    analysisCpuMs,
    appCpuMs,
    diffTabCpuMs,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    layers: layerIds.size,
    layersParsed: stats ? stats.parsed : layerIds.size,
    layerEntries: entries,
    layerTarBytes: tarBytes,
    stages: indices.map((i) => {
      const s = analysis.stages.get(i)!;
      return { index: i, name: analysis.model.stages[i].name, imageId: s.imageId, files: s.tree.fileCount, bytes: s.tree.totalBytes };
    }),
    diff: { stages: [second[0], big[0]], ms: median(diffTimes), entries: diffEntries },
  };
}

const dockerfile = process.argv[2];
if (!dockerfile) {
  process.stderr.write('usage: child.ts <Dockerfile>\n');
  process.exit(2);
}
run(dockerfile).then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
