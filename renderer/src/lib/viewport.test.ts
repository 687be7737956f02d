import { describe, expect, it } from 'vitest';
import { layoutStageGraph, SHAPES, type GraphStage } from './graph.ts';
import { fitView, nodeDetail, pickLayout, revealBox, zoomAt } from './viewport.ts';
import type { StageEdge } from '../../../shared/model.ts';

/** A docker/cli-like graph: one base, a few builders, many tool stages, one final. */
function wide(n: number): { stages: GraphStage[]; edges: StageEdge[] } {
  const stages: GraphStage[] = Array.from({ length: n }, (_, i) => ({ index: i, name: `stage-${i}`, baseImage: null }));
  const edges: StageEdge[] = [{ kind: 'from', from: { kind: 'image', ref: 'busybox:1' }, to: 0, line: 1 }];
  for (let i = 1; i < n - 1; i++) edges.push({ kind: 'from', from: { kind: 'stage', stage: i < 4 ? 0 : 1 + (i % 3) }, to: i, line: i });
  for (let i = 4; i < n - 1; i++) edges.push({ kind: 'copy', from: { kind: 'stage', stage: i }, to: n - 1, line: 100 + i });
  return { stages, edges };
}

describe('the graph in its pane', () => {
  it('fits every node inside the pane, centered, never enlarged', () => {
    const { stages, edges } = wide(30);
    const g = layoutStageGraph(stages, edges);
    const v = fitView(g, 360, 330);
    for (const n of g.nodes) {
      const left = v.x + (n.x - n.w / 2) * v.s;
      const top = v.y + (n.y - n.h / 2) * v.s;
      expect(left).toBeGreaterThanOrEqual(0);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(left + n.w * v.s).toBeLessThanOrEqual(360);
      expect(top + n.h * v.s).toBeLessThanOrEqual(330);
    }
    expect(fitView(layoutStageGraph(stages.slice(0, 1), []), 2000, 2000).s).toBe(1);
  });

  it('shows as many lines as a box has room for, none when a name cannot be read', () => {
    expect(nodeDetail(138, 58)).toEqual({ lines: 3, chars: 16 });
    expect(nodeDetail(138, 40).lines).toBe(2);
    expect(nodeDetail(100, 20).lines).toBe(1);
    expect(nodeDetail(100, 15).lines).toBe(0);
    expect(nodeDetail(30, 58).lines).toBe(0);
  });

  it('picks full nodes for a small graph and compact ones whose names can be read for 30 stages', () => {
    const small = wide(6);
    const smallPick = pickLayout(
      SHAPES.map((s) => layoutStageGraph(small.stages, small.edges, s)),
      500,
      450,
    );
    expect(smallPick.shape.height).toBe(58);
    const big = wide(30);
    const pick = pickLayout(
      SHAPES.map((s) => layoutStageGraph(big.stages, big.edges, s)),
      900,
      700,
    );
    const s = fitView(pick, 900, 700).s;
    expect(pick.shape.fitLabel).toBe(true);
    for (const n of pick.nodes) expect(nodeDetail(n.w * s, n.h * s).lines, n.label).toBeGreaterThanOrEqual(1);
  });

  it('zooms about a point and pans a box into view', () => {
    const v = zoomAt({ s: 1, x: 0, y: 0 }, 2, 100, 50);
    expect(v).toEqual({ s: 2, x: -100, y: -50 });
    const inView = revealBox(v, { cx: 100, cy: 50, w: 20, h: 10 }, 400, 300);
    expect(inView).toBe(v);
    const moved = revealBox(v, { cx: 1000, cy: 800, w: 20, h: 10 }, 400, 300);
    expect(moved).toEqual({ s: 2, x: 200 - 2000, y: 150 - 1600 });
  });
});
