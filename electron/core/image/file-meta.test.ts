import { describe, expect, it } from 'vitest';
import { small } from './file-meta.ts';

describe('small', () => {
  it('keeps every number as it is, fractions, negatives and values past 2^31 included', () => {
    for (const x of [0, 1, 1700000000, 1700000000.25, -1, -1.5, 2 ** 31 - 1, 2 ** 31, 2 ** 40 + 3, 5e-324, Number.MAX_SAFE_INTEGER]) {
      expect(small(x)).toBe(x);
    }
  });
});
