import { describe, expect, it } from 'vitest';
import { TreeCache } from './tree-cache.ts';
import { buildTree } from './apply-layer.ts';
import type { LayerIndex } from './types.ts';
import { file, layer } from './testing/layers.ts';

const layers = new Map<string, LayerIndex>(
  [
    layer([file('/base', 'b')], { id: 'sha256:base' }),
    layer([file('/go', 'gogo')], { id: 'sha256:go' }),
    layer([file('/app', 'app')], { id: 'sha256:app' }),
    layer([], { whiteouts: ['/go'], id: 'sha256:rm' }),
  ].map((l) => [l.diffId, l]),
);
const layerOf = (id: string) => layers.get(id)!;

describe('TreeCache', () => {
  it('applies only the layers past the longest cached prefix', () => {
    const cache = new TreeCache();
    const builder = cache.get(['sha256:base', 'sha256:go'], layerOf);
    expect(cache.layersApplied).toBe(2);
    const final = cache.get(['sha256:base', 'sha256:go', 'sha256:app', 'sha256:rm'], layerOf);
    expect(cache.layersApplied).toBe(4);
    expect(final.changes.map((c) => c.diffId)).toEqual(['sha256:base', 'sha256:go', 'sha256:app', 'sha256:rm']);
    expect(final.changes[3].removed).toEqual(['/go']);
    expect(final.tree.get('/go')).toBeNull();
    // The shared prefix's tree was cloned, not changed.
    expect(builder.tree.get('/go')?.size).toBe(4);
    expect([...final.tree.walk()]).toEqual([...buildTree([...layers.values()]).tree.walk()]);
    expect(cache.get(['sha256:base', 'sha256:go'], layerOf)).toBe(builder);
    expect(cache.layersApplied).toBe(4);
  });

  it('does not take a different stack with a common string prefix for a prefix', () => {
    const cache = new TreeCache();
    cache.get(['sha256:base'], layerOf);
    const other = cache.get(['sha256:base', 'sha256:app'], layerOf);
    expect(cache.layersApplied).toBe(2);
    expect(other.tree.get('/go')).toBeNull();
  });

  it('keeps at most maxTrees trees, dropping the least recently used', () => {
    const cache = new TreeCache(1);
    cache.get(['sha256:base'], layerOf);
    cache.get(['sha256:go'], layerOf);
    cache.get(['sha256:base'], layerOf);
    expect(cache.layersApplied).toBe(3);
  });
});
