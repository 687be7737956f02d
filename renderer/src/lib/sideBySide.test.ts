import { describe, expect, it } from 'vitest';
import { sideBySide } from './sideBySide.ts';

describe('sideBySide', () => {
  it('pairs changed lines and keeps line numbers per side', () => {
    const rows = sideBySide('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(rows.map((r) => r.kind)).toEqual(['same', 'changed', 'same', 'added']);
    expect(rows[1]).toEqual({ kind: 'changed', left: { no: 2, text: 'b' }, right: { no: 2, text: 'B' } });
    expect(rows[3]).toEqual({ kind: 'added', left: null, right: { no: 4, text: 'd' } });
  });
  it('shows pure removals on the left only', () => {
    const rows = sideBySide('x\ny\n', 'y\n');
    expect(rows[0]).toEqual({ kind: 'removed', left: { no: 1, text: 'x' }, right: null });
    expect(rows[1].kind).toBe('same');
  });
});
