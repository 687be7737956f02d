// Build-over-build comparison: the current analysis against a baseline snapshot, per stage and
// for the final image. Stages are matched by name (case-insensitive), else by index. Every
// changed path carries the Dockerfile line of the layer that last wrote it in the new build.
import type { CompareReport, CompareStage, SnapshotStage } from '../../../shared/history.ts';
import { stageLabel } from '../../../shared/format.ts';
import { semanticDiff, type IgnorableReason, type IncludableReason } from '../image/semantic-diff.ts';
import type { LayerChanges } from '../image/apply-layer.ts';
import type { LayerIndex } from '../image/types.ts';
import type { Analysis } from '../project/analyze.ts';
import type { AnalyzedImage } from '../project/stage-analysis.ts';
import { loadSnapshotTree, type ComparableSnapshot } from './baseline.ts';

export interface CompareOptions {
  ignore?: readonly IgnorableReason[];
  /** `mtime`: also report entries whose modification time alone changed. */
  include?: readonly IncludableReason[];
}

/** For each path, the layer that last added or modified it (top layer wins). */
export function lastWriters(changes: LayerChanges[]): Map<string, number> {
  const out = new Map<string, number>();
  changes.forEach((c, i) => {
    for (const p of c.added) out.set(p, i);
    for (const p of c.modified) out.set(p, i);
  });
  return out;
}

/** Current stage index → baseline stage, by name first, then by index among the unmatched. */
export function matchStages(current: { index: number; name: string | null }[], baseline: SnapshotStage[]): Map<number, SnapshotStage> {
  const out = new Map<number, SnapshotStage>();
  const used = new Set<number>();
  for (const c of current) {
    if (!c.name) continue;
    const b = baseline.find((s) => s.name?.toLowerCase() === c.name!.toLowerCase() && !used.has(s.index));
    if (b) {
      out.set(c.index, b);
      used.add(b.index);
    }
  }
  const currentNames = new Set(current.map((c) => c.name?.toLowerCase()).filter(Boolean));
  for (const c of current) {
    if (out.has(c.index)) continue;
    const b = baseline.find((s) => s.index === c.index && !used.has(s.index));
    // A baseline stage whose name still exists elsewhere in the new build is that stage's, not ours.
    if (b && !(b.name && currentNames.has(b.name.toLowerCase()))) {
      out.set(c.index, b);
      used.add(b.index);
    }
  }
  return out;
}

/**
 * The layer indexes of the current analysis, by diffId: a baseline shares most of them. Only
 * the layers asked for are decoded (after a late change most stages have none in memory).
 */
export function layersInMemory(current: Analysis): (diffId: string) => LayerIndex | undefined {
  return (d) => current.layer(d);
}

async function compareStage(
  stage: AnalyzedImage,
  index: number,
  name: string | null,
  size: number,
  base: SnapshotStage,
  baseline: ComparableSnapshot,
  opts: CompareOptions & { inMemory: (d: string) => LayerIndex | undefined },
): Promise<CompareStage> {
  const baseIds = new Set(base.layers.map((l) => l.diffId));
  // From the image's diffIds and the stage's summary: an unchanged stage's layers are never decoded.
  const layersChanged = stage.image.layers
    .map((diffId, i) => ({
      index: i,
      diffId,
      line: stage.lines[i] ?? null,
      createdBy: stage.createdBy[i] ?? '',
      size: stage.summary.layers[i].size,
    }))
    .filter((l) => !baseIds.has(l.diffId));
  const result: CompareStage = {
    index,
    name,
    status: 'unchanged',
    baselineIndex: base.index,
    sizeBefore: base.size,
    sizeAfter: size,
    added: [],
    removed: [],
    modified: [],
    moved: [],
    layersChanged,
    filesCompared: true,
  };
  const sameLayers = base.layers.length === stage.image.layers.length && layersChanged.length === 0;
  if (base.imageId === stage.imageId || sameLayers) return result;
  result.status = 'changed';
  const before = await loadSnapshotTree(baseline, base.index, opts.inMemory);
  if (!before) {
    result.filesCompared = false;
    return result;
  }
  const diff = semanticDiff(before.tree, stage.tree, { ignore: opts.ignore, include: opts.include });
  const writers = lastWriters(stage.changes);
  const lineOf = (path: string) => {
    const layer = writers.get(path);
    return layer === undefined ? null : (stage.lines[layer] ?? null);
  };
  result.added = diff.added.map((e) => ({ path: e.path, size: e.size, line: lineOf(e.path) }));
  result.removed = diff.removed.map((e) => ({ path: e.path, size: e.size }));
  result.modified = diff.modified.map((m) => ({ ...m, line: lineOf(m.path) }));
  result.moved = diff.moved.map((m) => ({ ...m, line: lineOf(m.to) }));
  // Same files, other layers (e.g. a rebuilt layer with identical content): still "changed"
  // by image, but nothing to list; say unchanged when no file differs.
  if (result.added.length + result.removed.length + result.modified.length + result.moved.length === 0) result.status = 'unchanged';
  return result;
}

export async function compareAnalysis(current: Analysis, baseline: ComparableSnapshot, opts: CompareOptions = {}): Promise<CompareReport> {
  const { report } = current;
  const built = report.stages.filter((s) => s.built && s.image && current.stages.has(s.index));
  const matches = matchStages(built, baseline.snapshot.stages);
  const stages: CompareStage[] = [];
  const warnings: string[] = [];
  const inMemory = layersInMemory(current);
  for (const s of built) {
    const base = matches.get(s.index);
    if (!base) {
      stages.push({
        index: s.index,
        name: s.name,
        status: 'added',
        baselineIndex: null,
        sizeBefore: null,
        sizeAfter: s.image!.size,
        added: [],
        removed: [],
        modified: [],
        moved: [],
        layersChanged: [],
        filesCompared: false,
      });
      continue;
    }
    const cmp = await compareStage(current.stages.get(s.index)!, s.index, s.name, s.image!.size, base, baseline, { ...opts, inMemory });
    if (!cmp.filesCompared)
      warnings.push(
        `The file indexes of stage ${stageLabel(s)} in snapshot ${baseline.snapshot.id} are gone; only its sizes and layers are compared.`,
      );
    stages.push(cmp);
  }
  const matched = new Set([...matches.values()].map((b) => b.index));
  for (const b of baseline.snapshot.stages) {
    if (matched.has(b.index)) continue;
    // A stage that still exists but was not built this time is not "removed".
    const still = current.model.stages.some((m) => (b.name ? m.name?.toLowerCase() === b.name.toLowerCase() : m.index === b.index));
    if (still) continue;
    stages.push({
      index: b.index,
      name: b.name,
      status: 'removed',
      baselineIndex: b.index,
      sizeBefore: b.size,
      sizeAfter: null,
      added: [],
      removed: [],
      modified: [],
      moved: [],
      layersChanged: [],
      filesCompared: false,
    });
  }
  const finalBefore = baseline.snapshot.stages.find((s) => s.index === baseline.snapshot.targetIndex);
  const finalAfter = report.stages[report.targetIndex];
  return {
    baseline: { id: baseline.snapshot.id, time: baseline.snapshot.time },
    current: { id: current.snapshot?.id ?? null, time: current.snapshot?.time ?? new Date().toISOString() },
    dockerfile: report.dockerfile,
    target: report.target,
    stages,
    final: { name: report.target, sizeBefore: finalBefore?.size ?? null, sizeAfter: finalAfter?.image?.size ?? null },
    warnings,
  };
}
