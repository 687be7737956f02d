// dive's efficiency score, with wasted bytes counted once per path: every copy of a file that
// a layer wrote and a later layer replaced or deleted is waste; the copy the final image keeps
// is not. dive adds the kept copy to the waste too, so a file written twice counts double.
import type { Efficiency, WastedPath } from '../../../shared/model.ts';
import type { LayerIndex } from './types.ts';
import type { FileTree } from './tree.ts';

export const TOP_WASTED_PATHS = 100;

export function efficiency(layers: LayerIndex[], tree: FileTree, top = TOP_WASTED_PATHS): Efficiency {
  // The tree holds the very FileMeta object of the write it keeps, so a write is waste exactly
  // when the tree does not hold that object at its path. Only wasted paths get a tally: most
  // paths are written once and kept, and tallying all 100k of them per stage cost more time and
  // garbage than everything else here. A layer repeated in the stack (same diffId twice) shares
  // its objects between both places, so such a stack takes the per-path tally below.
  if (new Set(layers.map((l) => l.diffId)).size !== layers.length) return tallyEveryPath(layers, tree, top);
  const wasted = new Map<string, { occurrences: number; totalBytes: number }>();
  let layerBytes = 0;
  for (const layer of layers) {
    layerBytes += layer.size;
    for (const e of layer.entries) {
      if (e.type !== 'file' || tree.get(e.path) === e) continue;
      const w = wasted.get(e.path);
      if (w) {
        w.occurrences++;
        w.totalBytes += e.size;
      } else wasted.set(e.path, { occurrences: 1, totalBytes: e.size });
    }
  }
  // The kept copy of a wasted path still counts in its occurrences and total bytes.
  if (wasted.size > 0) {
    for (const layer of layers) {
      for (const e of layer.entries) {
        if (e.type !== 'file') continue;
        const w = wasted.get(e.path);
        if (w && tree.get(e.path) === e) {
          w.occurrences++;
          w.totalBytes += e.size;
        }
      }
    }
  }
  return score(wasted, tree, layerBytes, top);
}

/** Tallies every path's writes: the plain form, for stacks the identity test cannot serve. */
export function tallyEveryPath(layers: LayerIndex[], tree: FileTree, top: number): Efficiency {
  const writes = new Map<string, { occurrences: number; totalBytes: number }>();
  let layerBytes = 0;
  for (const layer of layers) {
    layerBytes += layer.size;
    for (const e of layer.entries) {
      if (e.type !== 'file') continue;
      const w = writes.get(e.path);
      if (w) {
        w.occurrences++;
        w.totalBytes += e.size;
      } else writes.set(e.path, { occurrences: 1, totalBytes: e.size });
    }
  }
  return score(writes, tree, layerBytes, top);
}

function score(
  writes: Map<string, { occurrences: number; totalBytes: number }>,
  tree: FileTree,
  layerBytes: number,
  top: number,
): Efficiency {
  const paths: WastedPath[] = [];
  let wastedBytes = 0;
  for (const [path, w] of writes) {
    const final = tree.get(path);
    // The last write is the one the tree keeps, when it still holds a file there.
    const kept = final?.type === 'file' ? final.size : 0;
    const wasted = w.totalBytes - kept;
    if (wasted <= 0) continue;
    wastedBytes += wasted;
    paths.push({ path, occurrences: w.occurrences, totalBytes: w.totalBytes, wastedBytes: wasted });
  }
  paths.sort((a, b) => b.wastedBytes - a.wastedBytes || (a.path < b.path ? -1 : 1));
  const score = layerBytes === 0 ? 1 : Math.min(1, Math.max(0, 1 - wastedBytes / layerBytes));
  return { score, wastedBytes, paths: paths.slice(0, top) };
}
