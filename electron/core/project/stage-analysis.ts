// One stage image, analyzed: its merged tree, what each layer changed, which Dockerfile line
// made each layer, and its efficiency. Trees are built once per stage and kept by the session;
// layer indexes are shared between stages (a layer common to several stages is read once).
import type { Stage, LayerSummary, Efficiency } from '../../../shared/model.ts';
import type { ImageRecord, LayerIndex } from '../image/types.ts';
import { type FileTree } from '../image/tree.ts';
import { buildTree, type LayerChanges } from '../image/apply-layer.ts';
import type { TreeCache } from '../image/tree-cache.ts';
import { efficiency } from '../image/efficiency.ts';
import { matchHistoryToInstructions } from '../dockerfile/history.ts';
import { StageScopeError } from '../../../shared/errors.ts';

export interface AnalyzedImage {
  imageId: string;
  image: ImageRecord;
  layers: LayerIndex[];
  tree: FileTree;
  changes: LayerChanges[];
  /** One per layer: the history entry that made it. */
  createdBy: string[];
  /** One per layer: the Dockerfile line, when the layer belongs to this stage. */
  lines: (number | null)[];
  efficiency: Efficiency;
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
  const history = layerHistory(image);
  const own = (image.config.history ?? []).slice(baseHistoryLength).map((h) => h.created_by ?? '');
  const ownLines = stage ? matchHistoryToInstructions(stage, own) : own.map(() => null);
  const lines = history.map((h) => (h.historyIndex >= baseHistoryLength ? (ownLines[h.historyIndex - baseHistoryLength] ?? null) : null));
  return {
    imageId: image.id,
    image,
    layers,
    tree,
    changes,
    createdBy: history.map((h) => h.createdBy),
    lines,
    efficiency: efficiency(layers, tree),
  };
}

export function layerSummaries(a: AnalyzedImage): LayerSummary[] {
  return a.layers.map((layer, index) => ({
    index,
    diffId: layer.diffId,
    size: layer.size,
    createdBy: a.createdBy[index] ?? '',
    line: a.lines[index] ?? null,
    added: a.changes[index].added.length,
    modified: a.changes[index].modified.length,
    removed: a.changes[index].removed.length,
  }));
}
