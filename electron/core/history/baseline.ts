// The baseline a comparison (and `stagescope check`) measures against: `last` (the newest
// earlier snapshot of the same Dockerfile and target), a snapshot id, or a report file
// (`stagescope analyze --json` output, or a snapshot file). Whatever the spec, the result is a
// ComparableSnapshot: the snapshot's sizes and layers, and a way to load its file indexes.
import { stat, readFile } from 'node:fs/promises';
import type { Report } from '../../../shared/model.ts';
import type { Snapshot } from '../../../shared/history.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import type { LayerCache } from '../image/cache/layer-cache.ts';
import { type FileTree } from '../image/tree.ts';
import { buildTree, type LayerChanges } from '../image/apply-layer.ts';
import type { LayerIndex } from '../image/types.ts';
import { SNAPSHOT_VERSION, type SnapshotStore } from './store.ts';

export interface ComparableSnapshot {
  snapshot: Snapshot;
  /** Where it came from: the snapshot store, or a report file the user gave. */
  source: 'store' | 'file';
  /** One layer's file index: pinned by the store, else from the layer cache; null when gone. */
  loadLayer(diffId: string): Promise<LayerIndex | null>;
}

export interface BaselineContext {
  store: SnapshotStore;
  /** Absolute path of the Dockerfile being compared. */
  dockerfile: string;
  /** With `last`: only snapshots of this target (stage label as the report gives it). */
  target?: string;
  /** With `last`: skip this snapshot (the one the current analysis just recorded). */
  exclude?: string | null;
  layerCache?: LayerCache | null;
}

function reportToSnapshot(report: Report, time: string, id: string): Snapshot {
  return {
    v: SNAPSHOT_VERSION,
    id,
    time,
    dockerfile: report.dockerfile,
    dockerfileDigest: '',
    target: report.target,
    targetIndex: report.targetIndex,
    buildArgs: {},
    builder: report.builder,
    stages: report.stages
      .filter((s) => s.image && s.built)
      .map((s) => ({
        index: s.index,
        name: s.name,
        imageId: s.image!.id,
        size: s.image!.size,
        fileCount: s.fileCount,
        totalBytes: s.totalBytes,
        layers: s.layers.map((l) => ({ diffId: l.diffId, size: l.size, line: l.line, createdBy: l.createdBy })),
      })),
  };
}

async function fromFile(path: string): Promise<Snapshot> {
  const info = await stat(path);
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new StageScopeError(
      'usage',
      `The baseline ${path} is not a JSON file.`,
      'Give the output of `stagescope analyze --json`, a snapshot id, or `last`.',
    );
  }
  const d = doc as Partial<Snapshot & Report>;
  const stagesOk = Array.isArray(d?.stages) && d.stages.every((s) => typeof s?.index === 'number' && Array.isArray(s.layers));
  if (stagesOk && d.v === SNAPSHOT_VERSION && typeof d.id === 'string' && typeof d.time === 'string') return doc as Snapshot;
  if (stagesOk && typeof d.dockerfile === 'string' && typeof d.targetIndex === 'number' && typeof d.target === 'string') {
    return reportToSnapshot(doc as Report, info.mtime.toISOString(), `file:${path}`);
  }
  throw new StageScopeError(
    'usage',
    `The baseline ${path} is neither a StageScope report nor a snapshot.`,
    'Give the output of `stagescope analyze --json`, a snapshot id, or `last`.',
  );
}

/**
 * Resolves `last | <snapshot-id> | <report.json>` to a comparable snapshot, or throws a
 * StageScopeError ('not-found' when there is nothing to compare with, 'usage' for a bad spec).
 */
export async function resolveBaseline(spec: string, ctx: BaselineContext): Promise<ComparableSnapshot> {
  const { store } = ctx;
  const loadLayer = async (diffId: string) => (await store.layer(diffId)) ?? (ctx.layerCache ? await ctx.layerCache.get(diffId) : null);
  if (spec === 'last') {
    const candidates = (await store.list(ctx.dockerfile)).filter(
      (s) =>
        s.id !== ctx.exclude && (ctx.target === undefined || s.target === ctx.target) && s.stages.some((st) => st.index === s.targetIndex),
    );
    if (candidates.length === 0) {
      throw new StageScopeError(
        'not-found',
        `There is no earlier snapshot of ${ctx.dockerfile}${ctx.target ? ` (target ${ctx.target})` : ''} to compare with.`,
        'Analyze it once first (every analysis records a snapshot), or give --baseline <report.json>.',
      );
    }
    return { snapshot: candidates[0], source: 'store', loadLayer };
  }
  const byId = (await store.get(ctx.dockerfile, spec)) ?? (await store.find(spec));
  if (byId) return { snapshot: byId, source: 'store', loadLayer };
  if (
    await stat(spec).then(
      (s) => s.isFile(),
      () => false,
    )
  )
    return { snapshot: await fromFile(spec), source: 'file', loadLayer };
  throw new StageScopeError(
    'not-found',
    `No snapshot or report file named ${spec}.`,
    'Run `stagescope history` for the snapshot ids, or give `last` or a report file.',
  );
}

/**
 * A baseline stage's merged tree from its kept layer indexes, or null when one is gone.
 * `inMemory` gives layers the caller already holds (the current analysis shares most of them):
 * those are not read and decoded again.
 */
export async function loadSnapshotTree(
  base: ComparableSnapshot,
  stageIndex: number,
  inMemory: (diffId: string) => LayerIndex | undefined = () => undefined,
): Promise<{ tree: FileTree; changes: LayerChanges[] } | null> {
  const stage = base.snapshot.stages.find((s) => s.index === stageIndex);
  if (!stage) return null;
  const layers: LayerIndex[] = [];
  for (const l of stage.layers) {
    const layer = inMemory(l.diffId) ?? (await base.loadLayer(l.diffId));
    if (!layer) return null;
    layers.push(layer);
  }
  return buildTree(layers);
}
