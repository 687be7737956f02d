// The reverse view: for each builder stage, the largest files that never reach the target,
// because no FROM chain and no COPY --from (directly or through other stages) takes them.
// What a multi-stage build leaves behind, so a user can confirm nothing needed is lost. Files
// of a base image the target shares (same layer) are not listed: they reach it by its FROM.
import type { LeftBehindReport } from '../../../shared/history.ts';
import type { Analysis } from '../project/analyze.ts';
import { lastWriters } from '../history/compare.ts';

type Reach = 'all' | Set<string>;

/** Per built stage: which of its paths end up in the target ('all' for the target's FROM chain). */
export function reachingPaths(analysis: Analysis): Map<number, Reach> {
  const { model, report } = analysis;
  const reach = new Map<number, Reach>();
  const add = (stage: number, paths: Iterable<string>) => {
    let r = reach.get(stage);
    if (r === 'all') return;
    if (!r) reach.set(stage, (r = new Set()));
    for (const p of paths) r.add(p);
  };
  for (let s: number | undefined = report.targetIndex; s !== undefined;) {
    reach.set(s, 'all');
    const from: { kind: string; stage?: number } = model.stages[s].base;
    s = from.kind === 'stage' ? from.stage : undefined;
  }
  // Copies and FROM edges only point to earlier stages: one pass from the top down.
  for (let d = model.stages.length - 1; d >= 0; d--) {
    const r = reach.get(d);
    if (!r) continue;
    const base = model.stages[d].base;
    if (base.kind === 'stage' && base.stage !== undefined && r !== 'all') {
      const below = analysis.stages.get(base.stage)?.tree;
      if (below)
        add(
          base.stage,
          [...r].filter((p) => below.get(p)),
        );
    }
    for (const copy of report.copies) {
      if (copy.stage !== d || copy.from.kind !== 'stage' || copy.from.stage === undefined) continue;
      add(
        copy.from.stage,
        copy.files.filter((f) => f.sourcePath && (r === 'all' || r.has(f.path))).map((f) => f.sourcePath!),
      );
    }
  }
  return reach;
}

export function leftBehind(analysis: Analysis, top = 10): LeftBehindReport {
  const reach = reachingPaths(analysis);
  const target = analysis.model.stages[analysis.report.targetIndex];
  // A file written by a layer the target also has (a shared base image) reaches it that way.
  const targetLayers = new Set(analysis.stages.get(target.index)?.layers.map((l) => l.diffId) ?? []);
  const stages: LeftBehindReport['stages'] = [];
  for (const [index, img] of [...analysis.stages].sort((a, b) => a[0] - b[0])) {
    const r = reach.get(index);
    if (r === 'all') continue;
    const files: { path: string; size: number }[] = [];
    let bytes = 0;
    const writers = lastWriters(img.changes);
    for (const m of img.tree.walk()) {
      if (m.type !== 'file' || r?.has(m.path)) continue;
      const layer = writers.get(m.path);
      if (layer !== undefined && targetLayers.has(img.layers[layer].diffId)) continue;
      bytes += m.size;
      files.push({ path: m.path, size: m.size });
    }
    files.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
    stages.push({ index, name: analysis.model.stages[index].name, bytes, paths: files.slice(0, top) });
  }
  return { target: { index: target.index, name: target.name }, stages };
}
