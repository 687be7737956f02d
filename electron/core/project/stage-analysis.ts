// One stage image, analyzed: its merged tree, what each layer changed, which Dockerfile line
// made each layer, and its efficiency. Trees are built once per stage and kept by the session;
// layer indexes are shared between stages (a layer common to several stages is read once).
import type { Stage, LayerSummary, Efficiency } from '../../../shared/model.ts';
import type { ImageRecord, LayerIndex } from '../image/types.ts';
import type { FileTree } from '../image/tree.ts';
import { buildTree, type LayerChanges } from '../image/apply-layer.ts';
import type { TreeCache } from '../image/tree-cache.ts';
import { efficiency } from '../image/efficiency.ts';
import { matchHistoryToInstructions } from '../dockerfile/history.ts';
import { StageScopeError } from '../../../shared/errors.ts';

export interface AnalyzedImage {
  imageId: string;
  image: ImageRecord;
  /** Layer indexes, tree and changes may be built on first use (the stage came from the result cache). */
  readonly layers: LayerIndex[];
  readonly tree: FileTree;
  readonly changes: LayerChanges[];
  /** One per layer: the history entry that made it. */
  createdBy: string[];
  /** One per layer: the Dockerfile line, when the layer belongs to this stage. */
  lines: (number | null)[];
  efficiency: Efficiency;
  /** What the report needs of the tree and the changes, without them. */
  summary: StageSummary;
}

/** The tree-independent results of one stage image: a function of its id alone (cached by it). */
export interface StageSummary {
  fileCount: number;
  totalBytes: number;
  efficiency: Efficiency;
  /** Per layer: content bytes and the number of entries it added, modified and removed. */
  layers: { size: number; added: number; modified: number; removed: number }[];
}

export function layersOf(image: ImageRecord, layers: Map<string, LayerIndex>): LayerIndex[] {
  return image.layers.map((diffId) => {
    const layer = layers.get(diffId);
    if (!layer) {
      throw new StageScopeError(
        'archive',
        `Layer ${diffId.slice(0, 19)} of image ${image.id.slice(0, 19)} is missing from the export.`,
        'Build again; the image may have been removed meanwhile.',
      );
    }
    return layer;
  });
}

/** Layer-making history entries, in layer order (entries with empty_layer have no layer). */
export function layerHistory(image: ImageRecord): { createdBy: string; historyIndex: number }[] {
  const out: { createdBy: string; historyIndex: number }[] = [];
  (image.config.history ?? []).forEach((h, historyIndex) => {
    if (!h.empty_layer) out.push({ createdBy: h.created_by ?? '', historyIndex });
  });
  // An image without history (docker import, some tools) still has its layers.
  while (out.length < image.layers.length) out.push({ createdBy: '', historyIndex: -1 });
  return out.slice(0, image.layers.length);
}

function ownLines(image: ImageRecord, stage: Stage | null, baseHistoryLength: number): (number | null)[] {
  const history = layerHistory(image);
  const own = (image.config.history ?? []).slice(baseHistoryLength).map((h) => h.created_by ?? '');
  const lines = stage ? matchHistoryToInstructions(stage, own) : own.map(() => null);
  return history.map((h) => (h.historyIndex >= baseHistoryLength ? (lines[h.historyIndex - baseHistoryLength] ?? null) : null));
}

export interface AnalyzeImageInput {
  image: ImageRecord;
  /** Layer indexes by diffID: at least the image's own. */
  allLayers: Map<string, LayerIndex>;
  /** The Dockerfile stage that made the image, to tie its own layers to lines; none for other images. */
  stage?: Stage | null;
  /**
   * How many history entries the stage's base contributed (0 for scratch, the default): the
   * entries after those belong to the stage's own instructions.
   */
  baseHistoryLength?: number;
  /** Shared by the stages of one analysis; its trees are read-only. */
  trees?: TreeCache;
}

export function analyzeImage({ image, allLayers, stage = null, baseHistoryLength = 0, trees }: AnalyzeImageInput): AnalyzedImage {
  const layers = layersOf(image, allLayers);
  // Through a TreeCache a stage built FROM another starts from a clone of that stage's tree
  // (its layers are a prefix) instead of applying every lower layer again.
  const { tree, changes } = trees ? trees.get(image.layers, (id) => allLayers.get(id)!) : buildTree(layers);
  const eff = efficiency(layers, tree);
  const summary: StageSummary = {
    fileCount: tree.fileCount,
    totalBytes: tree.totalBytes,
    efficiency: eff,
    layers: layers.map((l, i) => ({
      size: l.size,
      added: changes[i].added.length,
      modified: changes[i].modified.length,
      removed: changes[i].removed.length,
    })),
  };
  const createdBy = layerHistory(image).map((h) => h.createdBy);
  const lines = ownLines(image, stage, baseHistoryLength);
  return { imageId: image.id, image, layers, tree, changes, createdBy, lines, efficiency: eff, summary };
}

/**
 * A stage whose summary came from the result cache: its layer indexes, tree and changes are
 * built only when something asks for them (a view, a diff, a check), through `layerOf`.
 */
export function restoreImage(
  { image, stage = null, baseHistoryLength = 0 }: Omit<AnalyzeImageInput, 'allLayers' | 'trees'>,
  summary: StageSummary,
  layerOf: (diffId: string) => LayerIndex,
  trees: TreeCache,
): AnalyzedImage {
  const imageId = image.id;
  let layers: LayerIndex[] | null = null;
  let built: { tree: FileTree; changes: LayerChanges[] } | null = null;
  const createdBy = layerHistory(image).map((h) => h.createdBy);
  return {
    imageId,
    image,
    get layers() {
      return (layers ??= image.layers.map(layerOf));
    },
    get tree() {
      return (built ??= trees.get(image.layers, layerOf)).tree;
    },
    get changes() {
      return (built ??= trees.get(image.layers, layerOf)).changes;
    },
    createdBy,
    lines: ownLines(image, stage, baseHistoryLength),
    efficiency: summary.efficiency,
    summary,
  };
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/** A cached StageSummary (for an image with `layerCount` layers, when given), checked field by field. */
export function isStageSummary(v: unknown, layerCount?: number): v is StageSummary {
  const s = v as StageSummary | null;
  const e = s?.efficiency;
  return (
    typeof s === 'object' &&
    s !== null &&
    isCount(s.fileCount) &&
    isCount(s.totalBytes) &&
    typeof e === 'object' &&
    e !== null &&
    typeof e.score === 'number' &&
    isCount(e.wastedBytes) &&
    Array.isArray(e.paths) &&
    e.paths.every((p) => typeof p?.path === 'string' && isCount(p.wastedBytes)) &&
    Array.isArray(s.layers) &&
    (layerCount === undefined || s.layers.length === layerCount) &&
    s.layers.every(
      (l) => typeof l === 'object' && l !== null && isCount(l.size) && isCount(l.added) && isCount(l.modified) && isCount(l.removed),
    )
  );
}

export function layerSummaries(a: AnalyzedImage): LayerSummary[] {
  return a.image.layers.map((diffId, index) => ({
    index,
    diffId,
    size: a.summary.layers[index].size,
    createdBy: a.createdBy[index] ?? '',
    line: a.lines[index] ?? null,
    added: a.summary.layers[index].added,
    modified: a.summary.layers[index].modified,
    removed: a.summary.layers[index].removed,
  }));
}
