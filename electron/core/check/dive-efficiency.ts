// dive's own efficiency, for `--dive-ci` (wagoodman/dive, filetree/efficiency.go and
// image/analysis): every leaf a layer writes is a "node" of its path (a whiteout too: of a file
// it weighs 0, of a folder the bytes of the folder it removed). Score = the sum over paths of
// the smallest node / the sum of all nodes. Wasted bytes = all bytes of every path with two or
// more nodes (the kept copy counts too), and the user wasted percent divides them by the bytes
// of every layer but the first. StageScope's own efficiency counts the kept copy once instead.
import type { LayerIndex } from '../image/types.ts';
import type { LayerChanges } from '../image/apply-layer.ts';

export interface DiveEfficiency {
  score: number;
  wastedBytes: number;
  userWastedPercent: number;
}

export function diveEfficiency(layers: LayerIndex[], changes: LayerChanges[]): DiveEfficiency {
  const paths = new Map<string, { nodes: number; cumulative: number; min: number }>();
  const add = (path: string, size: number) => {
    const p = paths.get(path);
    if (!p) paths.set(path, { nodes: 1, cumulative: size, min: size });
    else {
      p.nodes++;
      p.cumulative += size;
      p.min = Math.min(p.min, size);
    }
  };
  layers.forEach((layer, i) => {
    for (const e of layer.entries) {
      // Folders that hold other entries of the layer are not leaves; their size is 0 anyway.
      if (e.type === 'dir') continue;
      add(e.path, e.type === 'file' ? e.size : 0);
    }
    const removed = changes[i]?.removedEntries ?? [];
    for (const path of layer.whiteouts) {
      const own = removed.find((r) => r.path === path);
      let size = 0;
      if (own?.type === 'dir') {
        const prefix = `${path}/`;
        for (const r of removed) if (r.type === 'file' && r.path.startsWith(prefix)) size += r.size;
      }
      add(path, size);
    }
  });
  let minimum = 0;
  let discovered = 0;
  let wastedBytes = 0;
  for (const p of paths.values()) {
    minimum += p.min;
    discovered += p.cumulative;
    if (p.nodes >= 2) wastedBytes += p.cumulative;
  }
  const userBytes = layers.slice(1).reduce((sum, l) => sum + l.size, 0);
  return {
    score: discovered === 0 ? 1 : minimum / discovered,
    wastedBytes,
    userWastedPercent: userBytes === 0 ? 0 : wastedBytes / userBytes,
  };
}
