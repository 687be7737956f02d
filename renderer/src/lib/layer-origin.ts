// Where a layer of a stage's image comes from, in words a user recognizes (dive's layer list
// names only the command): the Dockerfile line of this stage, an earlier stage's line (a stage
// built FROM another one carries that stage's layers first), or the base image's own layers.
import type { StageReport } from '../../../shared/model.ts';

export type LayerOrigin =
  /** Made by a line of this stage (line null: the builder did not say which). */
  | { kind: 'own'; stage: number; line: number | null }
  /** Inherited from an earlier stage, made there by `line` (or by its base image, then `image`). */
  | { kind: 'stage'; stage: number; line: number | null; image: { ref: string; n: number; of: number } | null }
  /** One of the base image's layers: `n` of `of`, 1-based. */
  | { kind: 'image'; ref: string; n: number; of: number };

/** The leading layers without a Dockerfile line: those the FROM brought. */
function baseCount(s: StageReport): number {
  const first = s.layers.findIndex((l) => l.line !== null);
  return first === -1 ? s.layers.length : first;
}

export function layerOrigin(stages: StageReport[], stage: number, layer: number): LayerOrigin {
  const s = stages[stage];
  const l = s?.layers[layer];
  if (!s || !l) return { kind: 'own', stage, line: null };
  if (l.line !== null) return { kind: 'own', stage, line: l.line };
  const base = s.base.kind === 'stage' && s.base.stage !== undefined ? stages[s.base.stage] : undefined;
  if (base?.built && layer < base.layers.length) {
    const up = layerOrigin(stages, base.index, layer);
    if (up.kind === 'image') return { kind: 'stage', stage: base.index, line: null, image: { ref: up.ref, n: up.n, of: up.of } };
    return { kind: 'stage', stage: up.stage, line: up.line, image: up.kind === 'stage' ? up.image : null };
  }
  const of = baseCount(s);
  if (s.base.kind === 'image' && layer < of) return { kind: 'image', ref: s.base.ref ?? 'the base image', n: layer + 1, of };
  return { kind: 'own', stage, line: null };
}

/** "golang:1.24, layer 1/3", "from stage deps, line 5", "line 7". */
export function describeOrigin(o: LayerOrigin, label: (stage: number) => string): string {
  if (o.kind === 'image') return `${o.ref}, layer ${o.n}/${o.of}`;
  if (o.kind === 'own') return o.line !== null ? `line ${o.line}` : 'line unknown';
  const where = o.image ? `${o.image.ref}, layer ${o.image.n}/${o.image.of}` : o.line !== null ? `line ${o.line}` : 'line unknown';
  return `from stage ${label(o.stage)}, ${where}`;
}
