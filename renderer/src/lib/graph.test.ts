import { describe, expect, it } from 'vitest';
import { layoutStageGraph } from './graph.ts';

describe('layoutStageGraph', () => {
  it('places stages and external images left to right with every edge kind', () => {
    const g = layoutStageGraph(
      [
        { index: 0, name: 'builder', baseImage: 'golang:1.24' },
        { index: 1, name: null, baseImage: null },
      ],
      [
        { kind: 'from', from: { kind: 'image', ref: 'golang:1.24' }, to: 0, line: 1 },
        { kind: 'copy', from: { kind: 'stage', stage: 0 }, to: 1, line: 5 },
        { kind: 'mount', from: { kind: 'stage', stage: 0 }, to: 1, line: 6 },
      ],
    );
    expect(g.nodes.map((n) => n.label).sort()).toEqual(['builder', 'golang:1.24', 'stage-1']);
    expect(g.edges.map((e) => e.kind).sort()).toEqual(['copy', 'from', 'mount']);
    const x = (label: string) => g.nodes.find((n) => n.label === label)!.x;
    expect(x('golang:1.24')).toBeLessThan(x('builder'));
    expect(x('builder')).toBeLessThan(x('stage-1'));
    expect(g.edges.every((e) => e.points.length >= 2)).toBe(true);
    expect(g.width).toBeGreaterThan(0);
  });
});
