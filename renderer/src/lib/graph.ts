// The stage graph as positioned boxes and polylines: stages and external images as nodes,
// FROM / COPY --from / RUN --mount as edges, laid out by dagre in one of a few shapes (see
// SHAPES; the view picks the one that reads best in its pane). Pure: the view only draws what
// this returns.
import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeSource, StageEdge } from '../../../shared/model.ts';

/** Node size and spacing in layout units, and the direction of the ranks. */
interface GraphShape {
  rankdir: 'LR' | 'TB';
  width: number;
  height: number;
  nodesep: number;
  ranksep: number;
  /** Compact nodes are as wide as their name (up to `width`), not all as wide as the widest. */
  fitLabel?: boolean;
}

/** Full nodes (name, state and size, "not needed") and compact ones (name only) for big graphs,
 *  each left to right or top to bottom: a wide pane and a tall one want different graphs. */
export const SHAPES: readonly GraphShape[] = [
  { rankdir: 'LR', width: 138, height: 58, nodesep: 24, ranksep: 44 },
  { rankdir: 'TB', width: 138, height: 58, nodesep: 18, ranksep: 36 },
  { rankdir: 'LR', width: 150, height: 28, nodesep: 6, ranksep: 26, fitLabel: true },
  { rankdir: 'TB', width: 150, height: 28, nodesep: 8, ranksep: 20, fitLabel: true },
];

export interface GraphStage {
  index: number;
  name: string | null;
  /** External base image reference (kind 'image'), or null. */
  baseImage: string | null;
}

export interface LaidNode {
  id: string;
  kind: 'stage' | 'image';
  /** Stage index for stage nodes. */
  stage?: number;
  label: string;
  x: number;
  y: number;
  /** Box size in layout units. */
  w: number;
  h: number;
}

export interface LaidEdge {
  kind: StageEdge['kind'];
  from: string;
  to: string;
  line: number;
  points: { x: number; y: number }[];
}

export interface LaidGraph {
  nodes: LaidNode[];
  edges: LaidEdge[];
  width: number;
  height: number;
  shape: GraphShape;
}

export function nodeId(source: EdgeSource): string {
  return source.kind === 'stage' ? `stage:${source.stage}` : `image:${source.ref}`;
}

export function layoutStageGraph(stages: GraphStage[], edges: StageEdge[], shape: GraphShape = SHAPES[0]): LaidGraph {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: shape.rankdir, nodesep: shape.nodesep, ranksep: shape.ranksep, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));

  const nodes = new Map<string, Omit<LaidNode, 'x' | 'y' | 'w' | 'h'>>();
  for (const s of stages)
    nodes.set(`stage:${s.index}`, { id: `stage:${s.index}`, kind: 'stage', stage: s.index, label: s.name ?? `stage-${s.index}` });
  const allEdges = [...edges];
  // A base image may not appear among the edges (older parses): add its FROM edge once.
  for (const s of stages) {
    if (s.baseImage && !edges.some((e) => e.to === s.index && e.kind === 'from')) {
      allEdges.push({ kind: 'from', from: { kind: 'image', ref: s.baseImage }, to: s.index, line: 0 });
    }
  }
  for (const e of allEdges) {
    if (e.from.kind === 'image' && !nodes.has(nodeId(e.from))) {
      nodes.set(nodeId(e.from), { id: nodeId(e.from), kind: 'image', label: e.from.ref });
    }
  }
  // A compact node holds its name at 13 px (about 7.4 px a character), the target mark and a
  // checks badge.
  const widthOf = (label: string) => (shape.fitLabel ? Math.min(shape.width + 22, Math.max(80, label.length * 7.4 + 54)) : shape.width);
  for (const n of nodes.values()) g.setNode(n.id, { width: widthOf(n.label), height: shape.height });
  allEdges.forEach((e, i) => {
    if (g.hasNode(nodeId(e.from)) && g.hasNode(`stage:${e.to}`)) g.setEdge(nodeId(e.from), `stage:${e.to}`, {}, `${e.kind}-${i}`);
  });
  layout(g);

  const laidNodes: LaidNode[] = [...nodes.values()].map((n) => {
    const pos = g.node(n.id);
    return { ...n, x: pos.x, y: pos.y, w: widthOf(n.label), h: shape.height };
  });
  const laidEdges: LaidEdge[] = [];
  allEdges.forEach((e, i) => {
    const from = nodeId(e.from);
    const to = `stage:${e.to}`;
    const label = g.edge({ v: from, w: to, name: `${e.kind}-${i}` });
    if (!label) return;
    laidEdges.push({
      kind: e.kind,
      from,
      to,
      line: e.line,
      points: (label.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })),
    });
  });
  return fitToBounds(laidNodes, laidEdges, shape);
}

/**
 * dagre's graph size covers the nodes, but the curves of parallel edges can bulge past it:
 * shift everything so nodes and edge points all sit inside the drawing, with a margin.
 */
function fitToBounds(nodes: LaidNode[], edges: LaidEdge[], shape: GraphShape): LaidGraph {
  const MARGIN = 12;
  const xs = [...nodes.flatMap((n) => [n.x - n.w / 2, n.x + n.w / 2]), ...edges.flatMap((e) => e.points.map((p) => p.x))];
  const ys = [...nodes.flatMap((n) => [n.y - n.h / 2, n.y + n.h / 2]), ...edges.flatMap((e) => e.points.map((p) => p.y))];
  if (xs.length === 0) return { nodes, edges, width: 0, height: 0, shape };
  const dx = MARGIN - Math.min(...xs);
  const dy = MARGIN - Math.min(...ys);
  return {
    nodes: nodes.map((n) => ({ ...n, x: n.x + dx, y: n.y + dy })),
    edges: edges.map((e) => ({ ...e, points: e.points.map((p) => ({ x: p.x + dx, y: p.y + dy })) })),
    width: Math.max(...xs) + dx + MARGIN,
    height: Math.max(...ys) + dy + MARGIN,
    shape,
  };
}
