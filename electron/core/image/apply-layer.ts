// Building an image's merged tree: its layers applied bottom-up with the OCI whiteout rules
// (image-spec layer.md), recording what each layer changed.
import type { FileMeta } from '../../../shared/model.ts';
import { isDir, isRootPath, sameMeta } from './file-meta.ts';
import { FileTree } from './tree.ts';
import type { LayerIndex } from './types.ts';

/** What one layer did to the tree below it. Paths are absolute, in the order first touched. */
export interface LayerChanges {
  diffId: string;
  /** Regular-file content bytes the layer carries (LayerIndex.size). */
  size: number;
  added: string[];
  modified: string[];
  /** Every path that existed below and is gone after this layer (whole subtrees listed). */
  removed: string[];
  /** The metadata the removed paths had below, parallel to `removed`. */
  removedEntries: FileMeta[];
}

/** A hardlink whose target lay in a lower layer arrives without size and hash: take the target's. */
function resolveHardlink(tree: FileTree, entry: FileMeta): FileMeta {
  if (entry.type !== 'hardlink' || entry.hash !== null || !entry.linkTarget) return entry;
  const target = tree.get(entry.linkTarget);
  if (!target || (target.type !== 'file' && target.type !== 'hardlink')) return entry;
  return { ...entry, size: target.size, hash: target.hash };
}

/**
 * Applies one layer to the tree in place. Order per the OCI spec: opaque directories and
 * whiteouts act on the lower layers first, then the layer's own entries in archive order, so a
 * path whited out and re-added in the same layer stays. Changes are classified at the end by
 * comparing each touched path's state below with its state after, so a repeated identical
 * entry (typically a parent directory) is not a change.
 */
export function applyLayer(tree: FileTree, layer: LayerIndex): LayerChanges {
  // The state each touched path had in the tree below (null: absent), recorded on first touch.
  const below = new Map<string, FileMeta | null>();
  const note = (path: string, meta: FileMeta | null) => {
    if (!below.has(path)) below.set(path, meta);
  };
  const noteAll = (metas: FileMeta[]) => metas.forEach((m) => note(m.path, m));

  for (const dir of layer.opaqueDirs) {
    const n = tree.lookup(dir);
    if (n < 0 || !isDir(tree.metaOf(n))) continue;
    for (const c of tree.childIds(n)) noteAll(tree.detach(c));
  }
  for (const path of layer.whiteouts) {
    const n = tree.lookup(path);
    if (n > 0) noteAll(tree.detach(n)); // a whiteout of something that never existed is a no-op
  }
  for (const entry of layer.entries) {
    if (isRootPath(entry.path)) {
      tree.put(entry); // the root's own entry: not a change anyone wants listed
      continue;
    }
    const meta = resolveHardlink(tree, entry);
    const n = tree.lookup(meta.path);
    if (n >= 0) {
      note(meta.path, tree.metaOf(n));
      noteAll(tree.setMeta(n, meta));
    } else {
      tree.put(meta, { onParent: note }); // parents first, so lists read top-down
      note(meta.path, null);
    }
  }

  const changes: LayerChanges = {
    diffId: layer.diffId,
    size: layer.size,
    added: [],
    modified: [],
    removed: [],
    removedEntries: [],
  };
  for (const [path, before] of below) {
    const after = tree.get(path);
    if (!before && after) changes.added.push(path);
    else if (before && !after) {
      changes.removed.push(path);
      changes.removedEntries.push(before);
    } else if (before && after && !sameMeta(before, after)) changes.modified.push(path);
  }
  return changes;
}

/** Applies layers bottom-up, on a copy of `base` when given (a stage built FROM another). */
export function buildTree(layers: LayerIndex[], base?: FileTree): { tree: FileTree; changes: LayerChanges[] } {
  const tree = base ? base.clone() : new FileTree();
  const changes = layers.map((l) => applyLayer(tree, l));
  return { tree, changes };
}
