import { describe, expect, it } from 'vitest';
import { stageSizes } from './sizes.ts';

describe('stageSizes', () => {
  const stages = [
    { index: 0, size: 900 },
    { index: 1, size: 1200 },
    { index: 2, size: null },
    { index: 3, size: 50 },
  ];

  it('compares the final stage with the largest built builder', () => {
    expect(stageSizes(stages, 3)).toEqual({ final: 50, largestBuilder: { stage: 1, size: 1200 }, saved: 1150 });
  });

  it('limits the comparison to the given builders', () => {
    expect(stageSizes(stages, 3, [0, 2])).toEqual({ final: 50, largestBuilder: { stage: 0, size: 900 }, saved: 850 });
  });

  it('has no builder for a single-stage build, and a negative saving when the final is larger', () => {
    expect(stageSizes([{ index: 0, size: 10 }], 0)).toEqual({ final: 10, largestBuilder: null, saved: null });
    expect(
      stageSizes(
        [
          { index: 0, size: 10 },
          { index: 1, size: 30 },
        ],
        1,
      ).saved,
    ).toBe(-20);
  });

  it('has no final size and no saving when the target has no image (it failed or was not built)', () => {
    expect(
      stageSizes(
        [
          { index: 0, size: 515_000_000 },
          { index: 1, size: null },
        ],
        1,
      ),
    ).toEqual({ final: null, largestBuilder: { stage: 0, size: 515_000_000 }, saved: null });
    expect(stageSizes([{ index: 0, size: 515_000_000 }], 1)).toEqual({
      final: null,
      largestBuilder: { stage: 0, size: 515_000_000 },
      saved: null,
    });
  });
});
