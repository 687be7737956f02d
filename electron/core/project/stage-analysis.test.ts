import { describe, expect, it } from 'vitest';
import { analyzeImage } from './stage-analysis.ts';
import { TreeCache } from '../image/tree-cache.ts';
import type { ImageRecord, LayerIndex } from '../image/types.ts';
import { file, layer } from '../image/testing/layers.ts';

const base = layer([file('/etc/os', 'debian'), file('/usr/bin/go', 'gogogo')], { id: 'sha256:s-base' });
const many = layer([file('/data/a', 'a'), file('/data/b', 'bb'), file('/etc/os', 'changed')], { id: 'sha256:s-many' });
const prune = layer([], { whiteouts: ['/data/a', '/usr/bin/go'], id: 'sha256:s-prune' });
const all = new Map<string, LayerIndex>([base, many, prune].map((l) => [l.diffId, l]));

function image(id: string, layers: LayerIndex[]): ImageRecord {
  const diffIds = layers.map((l) => l.diffId);
  return { id, repoTags: [], layers: diffIds, config: { rootfs: { type: 'layers', diff_ids: diffIds } } };
}

describe('analyzeImage with a TreeCache shared by the stages', () => {
  it('gives the same tree, changes and efficiency as building each stage alone, applying shared layers once', () => {
    const images = [image('sha256:i0', [base]), image('sha256:i1', [base, many]), image('sha256:i2', [base, many, prune])];
    const trees = new TreeCache(images.length);
    const shared = images.map((img) => analyzeImage({ image: img, allLayers: all, trees }));
    const alone = images.map((img) => analyzeImage({ image: img, allLayers: all }));
    expect(trees.layersApplied).toBe(3);
    for (let i = 0; i < images.length; i++) {
      expect([...shared[i].tree.walk()]).toEqual([...alone[i].tree.walk()]);
      expect(shared[i].changes).toEqual(alone[i].changes);
      expect(shared[i].efficiency).toEqual(alone[i].efficiency);
      expect(shared[i].tree.fileCount).toBe(alone[i].tree.fileCount);
    }
    // The later stages did not change the base stage's tree they started from.
    expect(shared[0].tree.get('/usr/bin/go')?.size).toBe(6);
    expect(shared[1].tree.get('/data/a')).not.toBeNull();
    expect(shared[2].tree.get('/data/a')).toBeNull();
    expect(shared[2].efficiency.wastedBytes).toBe('debian'.length + 'a'.length + 'gogogo'.length);
  });
});
