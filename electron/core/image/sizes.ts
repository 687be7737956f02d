// The final image next to its builder stages: how much the multi-stage build saved.
import type { Sizes } from '../../../shared/model.ts';

export interface StageSize {
  index: number;
  /** Image size in bytes, or null when the stage was not built. */
  size: number | null;
}

/**
 * `builders` are the stages to compare against (by default every other built stage); the
 * largest of them is "the builder". saved = builder - final, negative when the final is larger.
 */
export function stageSizes(stages: StageSize[], finalIndex: number, builders?: number[]): Sizes {
  const final = stages.find((s) => s.index === finalIndex)?.size ?? 0;
  const candidates = stages.filter(
    (s) => s.index !== finalIndex && s.size !== null && (builders === undefined || builders.includes(s.index)),
  );
  let largest: { stage: number; size: number } | null = null;
  for (const s of candidates) {
    // Ties go to the earlier stage: the one a reader meets first in the Dockerfile.
    if (!largest || s.size! > largest.size) largest = { stage: s.index, size: s.size! };
  }
  return { final, largestBuilder: largest, saved: largest ? largest.size - final : null };
}
