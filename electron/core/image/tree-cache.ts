// Merged trees on demand, sharing work between stages: a stage built FROM another (or two
// stages on one base image) repeats the same bottom layers, so the tree of the longest cached
// prefix of diffIds is cloned and only the remaining layers are applied. A few trees at most are
// kept (least recently used go first): a tree for 100k entries weighs tens of MB.
import type { LayerIndex } from './types.ts';
import { type FileTree } from './tree.ts';
import { buildTree, type LayerChanges } from './apply-layer.ts';

export interface BuiltTree {
  tree: FileTree;
  /** Changes of each layer against the tree below it, bottom first. */
  changes: LayerChanges[];
}

export class TreeCache {
  private entries = new Map<string, BuiltTree>();
  /** Trees built by applying layers (not served from the cache), for tests and the benchmark. */
  layersApplied = 0;

  constructor(private readonly maxTrees = 6) {}

  /**
   * The merged tree after the given layers. Treat the result as read-only: it is shared with
   * later callers (clone it before changing it).
   */
  get(diffIds: string[], layerOf: (diffId: string) => LayerIndex): BuiltTree {
    const key = diffIds.join(',');
    const hit = this.entries.get(key);
    if (hit) {
      this.touch(key, hit);
      return hit;
    }
    let base: BuiltTree | null = null;
    let baseLength = 0;
    for (const [k, built] of this.entries) {
      const n = built.changes.length;
      if (n > baseLength && n < diffIds.length && key.startsWith(k + ',')) {
        base = built;
        baseLength = n;
      }
    }
    const rest = diffIds.slice(baseLength).map(layerOf);
    const { tree, changes } = buildTree(rest, base?.tree);
    this.layersApplied += rest.length;
    const built = { tree, changes: [...(base?.changes ?? []), ...changes] };
    this.touch(key, built);
    return built;
  }

  clear(): void {
    this.entries.clear();
  }

  private touch(key: string, built: BuiltTree): void {
    this.entries.delete(key);
    this.entries.set(key, built);
    while (this.entries.size > this.maxTrees) this.entries.delete(this.entries.keys().next().value!);
  }
}
