// Image history <-> layers. config.history is oldest first; entries with empty_layer: true made
// no layer (ENV, LABEL, CMD...), the others map in order onto rootfs.diff_ids.
import type { LayerSummary } from '../../../shared/model.ts';
import type { ImageRecord } from './types.ts';
import type { LayerChanges } from './tree.ts';

export interface HistoryStep {
  /** The layer this step made, or null for an empty-layer step. */
  diffId: string | null;
  /** Position of that layer in the image (0 = bottom), or null. */
  layerIndex: number | null;
  createdBy: string;
  emptyLayer: boolean;
}

export function layerHistory(image: ImageRecord): HistoryStep[] {
  const steps: HistoryStep[] = [];
  let next = 0;
  for (const h of image.config.history ?? []) {
    const emptyLayer = h.empty_layer === true;
    // More non-empty entries than layers happens with hand-made configs: those get no layer.
    const layerIndex = !emptyLayer && next < image.layers.length ? next++ : null;
    steps.push({ diffId: layerIndex === null ? null : image.layers[layerIndex], layerIndex, createdBy: h.created_by ?? '', emptyLayer });
  }
  // Layers without history (imported images, squashed ones) still get a step each.
  for (; next < image.layers.length; next++) {
    steps.push({ diffId: image.layers[next], layerIndex: next, createdBy: '', emptyLayer: false });
  }
  return steps;
}

/** created_by of each layer, bottom to top. */
export function layerCreatedBy(image: ImageRecord): string[] {
  const out = image.layers.map(() => '');
  for (const s of layerHistory(image)) if (s.layerIndex !== null) out[s.layerIndex] = s.createdBy;
  return out;
}

/**
 * The instruction a created_by string stands for, as a Dockerfile would say it:
 * `RUN /bin/sh -c go build # buildkit` -> `RUN go build`, classic
 * `/bin/sh -c #(nop)  CMD ["x"]` -> `CMD ["x"]`, `|1 A=b /bin/sh -c make` -> `RUN make`.
 */
export function instructionText(createdBy: string): string {
  let s = createdBy.trim().replace(/\s*# buildkit$/, '');
  s = s.replace(/^\|\d+(?:\s+\S+=\S*)*\s+/, ''); // classic builder's build-arg prefix
  const nop = /^\/bin\/sh -c #\(nop\)\s*/;
  if (nop.test(s)) return s.replace(nop, '').trim();
  if (s.startsWith('/bin/sh -c ')) return `RUN ${s.slice('/bin/sh -c '.length)}`;
  return s.replace(/^RUN \/bin\/sh -c /, 'RUN ');
}

/** One summary per layer, bottom first. `lines[i]` is the Dockerfile line of layer i, if known. */
export function layerSummaries(image: ImageRecord, changes: LayerChanges[], lines: (number | null)[] = []): LayerSummary[] {
  const createdBy = layerCreatedBy(image);
  return image.layers.map((diffId, index) => {
    const c = changes[index];
    return {
      index,
      diffId,
      size: c?.size ?? 0,
      createdBy: createdBy[index],
      line: lines[index] ?? null,
      added: c?.counts.added ?? 0,
      modified: c?.counts.modified ?? 0,
      removed: c?.counts.removed ?? 0,
    };
  });
}
