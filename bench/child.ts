// One analysis in a process of its own, so its peak RSS and CPU time are the analysis' alone
// (the benchmark's parent keeps builds, timings and docker save out of it). Prints one JSON
// line (ChildResult) on stdout. Usage: node --import tsx bench/child.ts <Dockerfile>
import { performance } from 'node:perf_hooks';
import { connectEngine } from '../electron/core/docker/connection.ts';
import { analyzeDockerfile } from '../electron/core/project/analyze.ts';
import { diffTrees } from '../electron/core/image/diff.ts';
import type { ChildResult } from './types.ts';

const DIFF_REPEATS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function run(dockerfile: string): Promise<ChildResult> {
  const conn = await connectEngine();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let exportStart = 0;
  const analysis = await analyzeDockerfile(
    conn,
    { dockerfile, options: { allStages: true } },
    {
      onPhase: (phase) => {
        if (phase === 'export' && exportStart === 0) exportStart = performance.now();
      },
    },
  );
  // What `stagescope analyze` costs: trees not asked for by the report are not built.
  const cpuAnalysis = process.cpuUsage(cpu0);
  // A "full analysis", as BENCHMARKS.md measures it, includes the diffs of consecutive stages.
  const indices = [...analysis.stages.keys()].sort((a, b) => a - b);
  for (let i = 1; i < indices.length; i++) diffTrees(analysis.stages.get(indices[i - 1])!.tree, analysis.stages.get(indices[i])!.tree);
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);

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
    cpuMs: (cpu.user + cpu.system) / 1000,
    analysisCpuMs: (cpuAnalysis.user + cpuAnalysis.system) / 1000,
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
