// The stage's tree by directory, cut at a depth, for the sizes treemap: the UI lays it out
// (d3-hierarchy); the engine only sums. Small children are folded into one "other" node so a
// folder of 60k files stays a handful of rectangles.
import type { TreemapNode } from '../../../shared/api.ts';
import type { FileTree } from '../image/tree.ts';

const MAX_CHILDREN = 40;

function nodeOf(tree: FileTree, id: number, depth: number): TreemapNode {
  const meta = tree.metaOf(id);
  const path = id === 0 ? '/' : tree.pathOf(id);
  const node: TreemapNode = { name: id === 0 ? '/' : tree.nameOf(id), path, size: tree.bytesOf(id) };
  if (meta.type !== 'dir') return node;
  node.dir = true;
  if (depth <= 0) return node;
  const kids = tree
    .childIds(id)
    .filter((c) => !tree.isGhost(c) && tree.bytesOf(c) > 0)
    .sort((a, b) => tree.bytesOf(b) - tree.bytesOf(a));
  if (kids.length === 0) return node;
  const shown = kids.slice(0, MAX_CHILDREN).map((c) => nodeOf(tree, c, depth - 1));
  const rest = kids.slice(MAX_CHILDREN);
  if (rest.length > 0) {
    const size = rest.reduce((sum, c) => sum + tree.bytesOf(c), 0);
    // Several entries as one node: it reveals the folder that holds them.
    shown.push({ name: `${rest.length} more`, path, size, dir: true });
  }
  node.children = shown;
  return node;
}

export function treemap(tree: FileTree, depth: number): TreemapNode {
  return nodeOf(tree, 0, depth);
}
