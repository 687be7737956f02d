// dive's efficiency score, with wasted bytes counted once per path: every copy of a file that
// a layer wrote and a later layer replaced or deleted is waste; the copy the final image keeps
// is not. dive adds the kept copy to the waste too, so a file written twice counts double.
import type { Efficiency, WastedPath } from '../../../shared/model.ts';
import type { LayerIndex } from './types.ts';
import type { FileTree } from './tree.ts';

export const TOP_WASTED_PATHS = 100;

export function efficiency(layers: LayerIndex[], tree: FileTree, top = TOP_WASTED_PATHS): Efficiency {
  // Transient per-path tally of regular-file writes; hardlinks and others carry no bytes.
  // (For 100k+ paths this map is the largest allocation here; a two-pass variant could keep
  // only paths seen twice or missing from the final tree.)
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
