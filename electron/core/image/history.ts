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
  // Both builders prefix RUN with the build args in effect: `|1 NAME=x /bin/sh -c ...`.
  const buildArgs = /^(RUN )?\|\d+(?:\s+[^\s=]+=\S*)*\s+/;
  s = s.replace(buildArgs, (_m, run: string | undefined) => run ?? '');
  const nop = /^\/bin\/sh -c #\(nop\)\s*/;
  if (nop.test(s)) return s.replace(nop, '').trim();
  if (s.startsWith('/bin/sh -c ')) return `RUN ${s.slice('/bin/sh -c '.length)}`;
  return s.replace(/^RUN \/bin\/sh -c /, 'RUN ');
}

/** The Dockerfile keyword of a history step (`COPY`, `RUN`...), or '' for imported layers. */
export function historyKeyword(createdBy: string): string {
  const m = /^[A-Za-z]+/.exec(instructionText(createdBy));
  return m ? m[0].toUpperCase() : '';
}

/**
 * The Dockerfile line of each history step of a stage's image. Every instruction of a stage
 * after FROM leaves one history entry (BuildKit and classic alike; global ARGs do not), so the
 * stage's instructions are matched against the history from the newest step backwards by
 * keyword; steps older than the stage's first instruction belong to its base (null).
 */
export function historyLines(steps: HistoryStep[], instructions: { keyword: string; line: number }[]): (number | null)[] {
  const own = instructions.filter((i) => i.keyword.toUpperCase() !== 'FROM');
  const lines: (number | null)[] = steps.map(() => null);
  let next = own.length - 1;
  for (let s = steps.length - 1; s >= 0 && next >= 0; s--) {
    const keyword = historyKeyword(steps[s].createdBy);
    let i = next;
    while (i >= 0 && own[i].keyword.toUpperCase() !== keyword) i--;
    if (i < 0) break; // not one of this stage's instructions: the base image starts here
    lines[s] = own[i].line;
    next = i - 1;
  }
  return lines;
}

/** The Dockerfile line that made each layer (bottom first), null for the base image's layers. */
export function layerLines(image: ImageRecord, instructions: { keyword: string; line: number }[]): (number | null)[] {
  const steps = layerHistory(image);
  const byStep = historyLines(steps, instructions);
  const lines: (number | null)[] = image.layers.map(() => null);
  steps.forEach((s, i) => {
    if (s.layerIndex !== null) lines[s.layerIndex] = byStep[i];
  });
  return lines;
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
