import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rowOfSlot, scrollToShow, slotCount, windowStart } from './slots.ts';

describe('slots', () => {
  it('every window row has exactly one slot, and a slot keeps its row while it stays in the window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.nat(1_000_000), fc.integer({ min: -100, max: 100 }), (count, start, move) => {
        const rows = Array.from({ length: count }, (_, s) => rowOfSlot(s, start, count));
        expect([...rows].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, k) => start + k));
        const next = Math.max(0, start + move);
        for (let s = 0; s < count; s++) {
          const before = rows[s];
          const after = rowOfSlot(s, next, count);
          if (before >= next && before < next + count) expect(after).toBe(before);
        }
      }),
    );
  });

  it('sizes the pool from the viewport and scrolls the least to show a row', () => {
    expect(slotCount(480, 24, 3)).toBe(27);
    expect(slotCount(0, 24, 3)).toBe(7);
    expect(windowStart(24 * 100 + 5, 24, 3)).toBe(97);
    expect(windowStart(10, 24, 3)).toBe(0);
    expect(scrollToShow(5, 24, 0, 480)).toBe(0);
    expect(scrollToShow(20, 24, 0, 480)).toBe(21 * 24 - 480);
    expect(scrollToShow(2, 24, 240, 480)).toBe(48);
  });
});
