import { describe, expect, it } from 'vitest';
import { buildTree } from '../image/apply-layer.ts';
import { efficiency } from '../image/efficiency.ts';
import { dir, file, layer } from '../image/testing/layers.ts';
import { diveEfficiency } from './dive-efficiency.ts';

describe("dive's efficiency (for --dive-ci)", () => {
  it('counts the kept copy as waste too, and a folder whiteout with the bytes it removed', () => {
    const layers = [
      layer([file('/base', 'b'.repeat(100))]),
      layer([file('/app/a', 'x'.repeat(40))]),
      layer([file('/app/a', 'y'.repeat(60)), dir('/junk'), file('/junk/big', 'z'.repeat(200))]),
      layer([], { whiteouts: ['/junk'] }),
    ];
    const { tree, changes } = buildTree(layers);
    const dive = diveEfficiency(layers, changes);
    // /app/a: nodes 40 + 60 (min 40); /junk/big: 200 (one node); /junk: whiteout of a folder = 200 (one node).
    expect(dive.wastedBytes).toBe(100);
    expect(dive.score).toBeCloseTo((100 + 40 + 200 + 200) / (100 + 100 + 200 + 200));
    expect(dive.userWastedPercent).toBeCloseTo(100 / 300);
    // StageScope's own: /app/a wastes only the replaced 40, /junk/big all of its 200.
    expect(efficiency(layers, tree).wastedBytes).toBe(240);
  });

  it('is 1 for an image without repeated paths', () => {
    const layers = [layer([file('/a', 'aaa')]), layer([file('/b', 'bb')])];
    expect(diveEfficiency(layers, buildTree(layers).changes)).toEqual({ score: 1, wastedBytes: 0, userWastedPercent: 0 });
  });
});
