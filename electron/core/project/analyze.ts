// The whole analysis of one Dockerfile: parse, build the stages, export every stage image in
// one stream (a layer shared by several stages crosses once), read it, and analyze each stage.
import { dirname } from 'node:path';
import type { Connection } from '../docker/connection.ts';
import { exportImages, inspectImage } from '../docker/images.ts';
import { splitLayerless } from '../docker/layerless.ts';
import { readDockerfile } from '../dockerfile/parse.ts';
import { planTarget } from '../dockerfile/plan.ts';
import { LayerCache, readArchiveWithCache } from '../image/cache/index.ts';
import { TreeCache } from '../image/tree-cache.ts';
import type { ArchiveContents, LayerIndex } from '../image/types.ts';
import type { BuildOptions, DockerfileModel, Report, TargetPlan } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { plannedStages } from '../../../shared/plan.ts';
import { buildStages, type StagesOutcome } from './build-stages.ts';
import { analyzeImage, isStageSummary, restoreImage, type AnalyzedImage, type StageSummary } from './stage-analysis.ts';
import { attributeCopies } from './copies.ts';
import { assembleReport } from './report.ts';
import type { AnalyzeHooks } from './types.ts';
import { SnapshotStore } from '../history/store.ts';
import { recordSnapshot } from '../history/snapshot.ts';
import type { Snapshot } from '../../../shared/history.ts';

export interface AnalysisInput {
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  /** Build context folder (the project root, or the Dockerfile's folder). */
  contextDir?: string;
  options: BuildOptions;
  /** Build exactly these stages (e.g. what a diff of two stages needs) instead of the plan's. */
  stages?: number[];
  /**
   * The persistent per-layer index (layers already in it are not parsed again). Default: the
   * one under STAGESCOPE_CACHE_DIR or the XDG cache folder; null turns it off.
   */
  layerCache?: LayerCache | null;
  /** Where the analysis is recorded as a snapshot (issue 11). Default: beside the layer cache; null: not recorded. */
  snapshots?: SnapshotStore | null;
}

export interface Analysis {
  model: DockerfileModel;
  plan: TargetPlan;
  outcome: StagesOutcome;
  /** Built stages, by index. */
  stages: Map<number, AnalyzedImage>;
  /** External images that COPY --from read, by reference. */
  externals: Map<string, AnalyzedImage>;
  report: Report;
  /**
   * A layer of one of the analysis' images, decoded on first use and shared with its stages;
   * undefined for a layer none of them has (or one gone from the layer cache).
   */
  layer(diffId: string): LayerIndex | undefined;
  /** Layers parsed from the export this time, and layers taken from the layer cache. */
  layerStats: { parsed: number; cached: number };
  /** The snapshot this analysis was recorded as, or null (failed build, store turned off or unwritable). */
  snapshot: Snapshot | null;
}

/** A cache that cannot be opened (read-only home, full disk) only costs speed. */
async function openLayerCache(input: AnalysisInput): Promise<LayerCache | null> {
  if (input.layerCache !== undefined) return input.layerCache;
  return LayerCache.open().catch(() => null);
}

/** A snapshot that cannot be written (read-only home, full disk) is a warning, never a failure. */
async function recordAnalysis(input: AnalysisInput, analysis: Analysis): Promise<Snapshot | null> {
  if (input.snapshots === null) return null;
  const warn = (m: string) => analysis.report.warnings.push(m);
  try {
    const store = input.snapshots ?? (await SnapshotStore.open({ onWarning: warn }));
    return await recordSnapshot(store, analysis, input.dockerfile, input.options.buildArgs ?? {});
  } catch (err) {
    warn(`This analysis was not recorded as a snapshot: ${(err as Error).message}`);
    return null;
  }
}

function externalRefs(model: DockerfileModel, stages: number[]): string[] {
  const refs = new Set<string>();
  for (const e of model.edges) {
    if (e.kind !== 'from' && e.from.kind === 'image' && stages.includes(e.to)) refs.add(e.from.ref);
  }
  return [...refs];
}

async function historyLength(conn: Connection, ref: string): Promise<number> {
  try {
    const history = (await conn.docker.getImage(ref).history()) as unknown[];
    return history.length;
  } catch {
    return 0;
  }
}

/**
 * The classic builder records the labels we pass as LABEL history entries at the end of each
 * stage image; a stage built FROM it does not inherit them, so they do not count as its base.
 */
function historyWithoutOurLabels(history: { created_by?: string }[]): number {
  let n = history.length;
  while (n > 0 && /LABEL org\.stagescope\./.test(history[n - 1].created_by ?? '')) n--;
  return n;
}

/** Per-stage results stored by earlier analyses, by image id (the id names the config and so every layer). */
async function cachedSummaries(cache: LayerCache | null, ids: string[]): Promise<Map<string, StageSummary>> {
  const found = new Map<string, StageSummary>();
  if (!cache) return found;
  for (const id of ids) {
    const summary = await cache.getResult('stage', id, (v): v is StageSummary => isStageSummary(v));
    if (summary) found.set(id, summary);
  }
  return found;
}

export async function analyzeDockerfile(conn: Connection, input: AnalysisInput, hooks: AnalyzeHooks = {}): Promise<Analysis> {
  const options = input.options;
  const model = await readDockerfile(input.dockerfile, { buildArgs: options.buildArgs });
  const plan = planTarget(model, options.target);
  const toBuild = input.stages ?? plannedStages(model, plan, options);

  const outcome = await buildStages(
    conn,
    { dockerfile: input.dockerfile, contextDir: input.contextDir ?? dirname(input.dockerfile), model, stages: toBuild, options },
    hooks,
  );
  const warnings = [...model.warnings, ...outcome.warnings];

  // External images COPY --from reads: analyzed too, when they are on the engine.
  const externals: string[] = [];
  const externalIds = new Map<string, string>();
  for (const ref of externalRefs(model, [...outcome.built.keys()])) {
    try {
      const info = await inspectImage(conn.docker, ref);
      externals.push(ref);
      externalIds.set(ref, info.id);
    } catch {
      warnings.push(`The image ${ref} that COPY --from reads is not on the engine; its files cannot be compared.`);
    }
  }

  const allRefs = [...new Set([...[...outcome.built.values()].map((b) => b.imageId), ...externalIds.values()])];
  // A stage without layers (bare FROM scratch, metadata only) cannot be exported: read it from inspect.
  const { withLayers: refs, layerless } = await splitLayerless(conn.docker, allRefs);
  let contents: ArchiveContents = { images: [], layers: new Map() };
  const layerStats = { parsed: 0, cached: 0 };
  const cache = await openLayerCache(input);
  const summaries = await cachedSummaries(cache, refs);
  if (refs.length > 0) {
    hooks.onPhase?.('export');
    const read = await readArchiveWithCache(refs, (ids) => exportImages(conn.docker, ids), cache, {
      defer: (id) => summaries.has(id),
      signal: hooks.signal,
      onProgress: (p) => hooks.onPhase?.('export', { bytes: p.bytes }),
    });
    contents = read.contents;
    layerStats.parsed = read.parsed;
    layerStats.cached = read.fromCache;
  }
  contents.images.push(...layerless);
  hooks.onPhase?.('analyze');
  const byId = new Map(contents.images.map((img) => [img.id, img]));
  const find = (id: string) => {
    const image = byId.get(id);
    if (!image) throw new StageScopeError('archive', `Image ${id.slice(0, 19)} is missing from the export.`, 'Build again.');
    return image;
  };

  const stages = new Map<number, AnalyzedImage>();
  // Every tree stays referenced by its stage anyway: the cache only lets later stages reuse
  // their base stage's tree (stages come in index order, a FROM stage always before its users).
  const trees = new TreeCache(outcome.built.size + externalIds.size);
  // Stages whose results are cached get their layers and trees only when asked (views, diffs, checks).
  const layerOf = (diffId: string) => {
    const known = contents.layers.get(diffId);
    if (known) return known;
    const layer = cache?.getSync(diffId);
    if (!layer)
      throw new StageScopeError('archive', `Layer ${diffId.slice(0, 19)} is no longer in the layer cache.`, 'Analyze the project again.');
    // Kept: stages share layers, and the views of one stage ask for its layers and tree separately.
    contents.layers.set(diffId, layer);
    return layer;
  };
  const fresh: AnalyzedImage[] = [];
  const analyze = (id: string, stage: DockerfileModel['stages'][number] | null, baseHistory: number): AnalyzedImage => {
    const image = find(id);
    const summary = summaries.get(id);
    if (summary && isStageSummary(summary, image.layers.length))
      return restoreImage({ image, stage, baseHistoryLength: baseHistory }, summary, layerOf, trees);
    // A summary that does not fit its image (it cannot, short of a corrupt file): the layers
    // were left in the cache for it, so read them now and analyze as usual.
    for (const d of image.layers) if (!contents.layers.has(d)) contents.layers.set(d, layerOf(d));
    const analyzed = analyzeImage({ image, allLayers: contents.layers, stage, baseHistoryLength: baseHistory, trees });
    fresh.push(analyzed);
    return analyzed;
  };
  for (const [index, built] of [...outcome.built.entries()].sort((a, b) => a[0] - b[0])) {
    const stage = model.stages[index];
    let baseHistory = 0;
    if (stage.base.kind === 'stage' && stage.base.stage !== undefined) {
      const base = stages.get(stage.base.stage);
      baseHistory = base ? historyWithoutOurLabels(base.image.config.history ?? []) : 0;
    } else if (stage.base.kind === 'image' && stage.base.ref) {
      baseHistory = await historyLength(conn, stage.base.ref);
    }
    stages.set(index, analyze(built.imageId, stage, baseHistory));
  }
  const externalTrees = new Map<string, AnalyzedImage>();
  for (const [ref, id] of externalIds) externalTrees.set(ref, analyze(id, null, 0));
  for (const a of fresh) await cache?.putResult('stage', a.imageId, a.summary);

  const sizes = new Map<number, number>();
  for (const [index, built] of outcome.built) sizes.set(index, (await inspectImage(conn.docker, built.imageId)).size);

  const copies = await attributeCopies(model, stages, externalTrees, cache);
  const report = assembleReport({ model, plan, options, engine: conn.info, outcome, stages, sizes, copies, warnings });
  const ownLayers = new Set(contents.images.flatMap((img) => img.layers));
  const layer = (diffId: string) => {
    if (!ownLayers.has(diffId)) return undefined;
    try {
      return layerOf(diffId);
    } catch {
      return undefined;
    }
  };
  const analysis: Analysis = { model, plan, outcome, stages, externals: externalTrees, report, layer, layerStats, snapshot: null };
  analysis.snapshot = await recordAnalysis(input, analysis);
  return analysis;
}
