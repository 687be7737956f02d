// The stage graph in its pane: fit, zoom about a point, pan to a node. Text is drawn at a fixed
// pixel size (12-13 px, never scaled down), so zooming scales the boxes and a box shows as many
// lines and characters as it has room for; too small a box shows no text (its name stays in
// the tooltip, the stage list and the accessible name).
import type { LaidGraph } from './graph.ts';

/** Room kept free around the graph when fitted, px. */
const PAD = 8;
/** A fitted graph is never drawn larger than laid out. */
const MAX_FIT = 1;
const MIN_ZOOM = 0.1;
const MAX_ZOOM = 3;
/** Average advance of a 13 px semibold character of a stage name. */
const CHAR_PX = 7.4;

/** A zoom (s) and the pane position (x, y) of the layout's origin, px. */
export interface View {
  s: number;
  x: number;
  y: number;
}

interface Detail {
  /** 0: box only; 1: name; 2: name and state; 3: name, state and "not needed". */
  lines: 0 | 1 | 2 | 3;
  /** How many characters of the name fit. */
  chars: number;
}

/** What a node box of w x h px can show; `reserve` px on the right are taken (a badge). */
export function nodeDetail(w: number, h: number, reserve = 0): Detail {
  const chars = Math.floor((w - 14 - reserve) / CHAR_PX);
  const lines = chars < 3 ? 0 : h >= 56 ? 3 : h >= 38 ? 2 : h >= 19 ? 1 : 0;
  return { lines, chars };
}

function fitScale(g: LaidGraph, width: number, height: number): number {
  if (width <= 0 || height <= 0 || g.width <= 0 || g.height <= 0) return 1;
  return Math.min(MAX_FIT, (width - 2 * PAD) / g.width, (height - 2 * PAD) / g.height);
}

/** The whole graph in the pane, centered. A pane not measured yet (0 x 0) draws at scale 1. */
export function fitView(g: LaidGraph, width: number, height: number): View {
  const s = fitScale(g, width, height);
  if (width <= 0 || height <= 0) return { s, x: 0, y: 0 };
  return { s, x: (width - g.width * s) / 2, y: (height - g.height * s) / 2 };
}

/** Of layouts of the same graph, the one whose fitted nodes show the most text in this pane:
 *  each node scores by the share of its name that fits (the target mark included), plus lines. */
export function pickLayout(layouts: LaidGraph[], width: number, height: number): LaidGraph {
  if (width <= 0 || height <= 0) return layouts[0];
  let best = layouts[0];
  let bestScore = -1;
  for (const g of layouts) {
    const s = fitScale(g, width, height);
    let score = 0;
    for (const n of g.nodes) {
      const d = nodeDetail(n.w * s, n.h * s);
      if (d.lines > 0) score += 10 * Math.min(1, d.chars / Math.min(n.label.length + 2, 16)) + d.lines;
    }
    if (score > bestScore + 1e-9) [best, bestScore] = [g, score];
  }
  return best;
}

/** Zoom by `factor` keeping the pane point (cx, cy) still. */
export function zoomAt(v: View, factor: number, cx: number, cy: number): View {
  const s = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, v.s * factor));
  const k = s / v.s;
  return { s, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k };
}

/** The view moved (not zoomed) so a box (layout units, centered at cx, cy) is inside the pane;
 *  unchanged if it already is. */
export function revealBox(v: View, box: { cx: number; cy: number; w: number; h: number }, width: number, height: number): View {
  if (width <= 0 || height <= 0) return v;
  const left = v.x + (box.cx - box.w / 2) * v.s;
  const top = v.y + (box.cy - box.h / 2) * v.s;
  const inside = left >= 0 && top >= 0 && left + box.w * v.s <= width && top + box.h * v.s <= height;
  if (inside) return v;
  return { s: v.s, x: width / 2 - box.cx * v.s, y: height / 2 - box.cy * v.s };
}
