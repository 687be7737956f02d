import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { efficiency, tallyEveryPath } from './efficiency.ts';
import { buildTree } from './apply-layer.ts';
import { dir, file, layer, layersArb } from './testing/layers.ts';

describe('efficiency', () => {
  it('counts a file written in 3 layers and kept as 2 copies of waste', () => {
    const layers = [
      layer([file('/app/data', 'a'.repeat(10)), file('/app/other', 'o'.repeat(40))]),
      layer([file('/app/data', 'b'.repeat(20))]),
      layer([file('/app/data', 'c'.repeat(30))]),
    ];
    const e = efficiency(layers, buildTree(layers).tree);
    expect(e.wastedBytes).toBe(30);
    expect(e.paths).toEqual([{ path: '/app/data', occurrences: 3, totalBytes: 60, wastedBytes: 30 }]);
    expect(e.score).toBeCloseTo(1 - 30 / 100);
  });

  it('counts every copy of a file written twice then deleted', () => {
    const layers = [
      layer([dir('/tmp'), file('/tmp/blob', 'x'.repeat(50))]),
      layer([file('/tmp/blob', 'y'.repeat(50))]),
      layer([], { whiteouts: ['/tmp/blob'] }),
    ];
    const e = efficiency(layers, buildTree(layers).tree);
    expect(e.wastedBytes).toBe(100);
    expect(e.paths).toEqual([{ path: '/tmp/blob', occurrences: 2, totalBytes: 100, wastedBytes: 100 }]);
    expect(e.score).toBe(0);
  });

  it('counts files hidden by a deleted parent or an opaque directory', () => {
    const layers = [
      layer([dir('/a'), file('/a/x', 'xxxx'), dir('/b'), file('/b/y', 'yy'), file('/keep', 'k')]),
      layer([dir('/b')], { whiteouts: ['/a'], opaque: ['/b'] }),
    ];
    const e = efficiency(layers, buildTree(layers).tree);
    expect(e.paths.map((p) => [p.path, p.wastedBytes])).toEqual([
      ['/a/x', 4],
      ['/b/y', 2],
    ]);
    expect(e.score).toBeCloseTo(1 - 6 / 7);
  });

  it('scores 1 for an image without waste or without bytes, and keeps the top N paths', () => {
    const one = [layer([file('/x', 'abc')])];
    expect(efficiency(one, buildTree(one).tree)).toEqual({ score: 1, wastedBytes: 0, paths: [] });
    expect(efficiency([], buildTree([]).tree).score).toBe(1);
    const many = [layer([file('/a', 'aaa'), file('/b', 'b'), file('/c', 'cc')]), layer([], { whiteouts: ['/a', '/b', '/c'] })];
    const e = efficiency(many, buildTree(many).tree, 2);
    expect(e.paths.map((p) => p.path)).toEqual(['/a', '/c']);
    expect(e.wastedBytes).toBe(6);
  });

  it('balances: layer bytes = wasted bytes + bytes the final tree keeps (property)', () => {
    fc.assert(
      fc.property(layersArb, (layers) => {
        const { tree } = buildTree(layers);
        const e = efficiency(layers, tree);
        const layerBytes = layers.reduce((s, l) => s + l.size, 0);
        expect(e.wastedBytes + tree.totalBytes).toBe(layerBytes);
        expect(e.score).toBeGreaterThanOrEqual(0);
        expect(e.score).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it('finds the same waste by object identity as by tallying every path (property)', () => {
    fc.assert(
      fc.property(layersArb, (layers) => {
        const { tree } = buildTree(layers);
        expect(efficiency(layers, tree, 1000)).toEqual(tallyEveryPath(layers, tree, 1000));
      }),
      { numRuns: 300 },
    );
  });

  it('counts a layer repeated in the stack (same objects twice) as waste', () => {
    const twice = layer([file('/a', 'aaaa')], { id: 'sha256:same' });
    const layers = [twice, twice];
    const e = efficiency(layers, buildTree(layers).tree);
    expect(e.wastedBytes).toBe(4);
    expect(e.paths).toEqual([{ path: '/a', occurrences: 2, totalBytes: 8, wastedBytes: 4 }]);
  });
});
