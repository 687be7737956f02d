// The final image next to its builder stages: how much the multi-stage build saved.
import type { Sizes } from '../../../shared/model.ts';

export interface StageSize {
  index: number;
  /** Image size in bytes, or null when the stage was not built. */
  size: number | null;
}

/**
 * `builders` are the stages to compare against (by default every other built stage); the
 * largest of them is "the builder". saved = builder - final, negative when the final is larger
 * (a target that is itself bigger than every stage it is built from saves nothing). Without a
 * final image (the target failed or was not built) final and saved are null: there is nothing
 * to compare, and 0 would read as a perfect saving.
 */
export function stageSizes(stages: StageSize[], finalIndex: number, builders?: number[]): Sizes {
  const final = stages.find((s) => s.index === finalIndex)?.size ?? null;
  const candidates = stages.filter(
    (s) => s.index !== finalIndex && s.size !== null && (builders === undefined || builders.includes(s.index)),
  );
  let largest: { stage: number; size: number } | null = null;
  for (const s of candidates) {
    // Ties go to the earlier stage: the one a reader meets first in the Dockerfile.
    if (!largest || s.size! > largest.size) largest = { stage: s.index, size: s.size! };
  }
  return { final, largestBuilder: largest, saved: largest && final !== null ? largest.size - final : null };
}
