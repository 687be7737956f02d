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
 *
 * Only paths that existed below keep their old state in a Map; a path new in this layer is
 * known by its node's stamp (attached in this layer's change set). A base layer of 500k files
 * then costs no Map entry per file at the peak of a big image's analysis.
 */
export function applyLayer(tree: FileTree, layer: LayerIndex): LayerChanges {
  const changeSet = tree.beginChangeSet();
  // Every touched path once, in the order first touched.
  const order: string[] = [];
  // The state below of touched paths that existed below.
  const below = new Map<string, FileMeta>();
  // Paths new in this layer whose node was removed again in it (rare): touched already.
  let goneNew: Set<string> | null = null;
  const noteNew = (path: string) => {
    if (!below.has(path) && !goneNew?.has(path)) order.push(path);
  };
  const noteExisting = (node: number, path: string) => {
    if (tree.stampOf(node) === changeSet) return; // new in this layer, or noted already
    tree.mark(node, changeSet);
    if (!below.has(path)) {
      below.set(path, tree.metaOf(node));
      order.push(path);
    }
  };
  /** Removes a subtree, noting the state below of every node in it that existed below. */
  const remove = (node: number) => {
    tree.detach(node, (n, m) => {
      if (tree.stampOf(n) === changeSet) (goneNew ??= new Set()).add(m.path);
      else if (!below.has(m.path)) {
        below.set(m.path, m);
        order.push(m.path);
      }
    });
  };

  for (const dir of layer.opaqueDirs) {
    const n = tree.lookup(dir);
    if (n < 0 || !isDir(tree.metaOf(n))) continue;
    for (const c of tree.childIds(n)) remove(c);
  }
  for (const path of layer.whiteouts) {
    const n = tree.lookup(path);
    if (n > 0) remove(n); // a whiteout of something that never existed is a no-op
  }
  const onParent = (path: string, before: FileMeta | null) => {
    if (before === null) return noteNew(path); // created next, with this change set's stamp
    const n = tree.lookup(path);
    noteExisting(n, path);
    // A non-directory in the way becomes a directory: nothing hangs below a non-directory.
  };
  for (const entry of layer.entries) {
    if (isRootPath(entry.path)) {
      tree.put(entry); // the root's own entry: not a change anyone wants listed
      continue;
    }
    const meta = resolveHardlink(tree, entry);
    const n = tree.lookup(meta.path);
    if (n >= 0) {
      noteExisting(n, meta.path);
      if (isDir(tree.metaOf(n)) && !isDir(meta) && tree.childCount(n) > 0) {
        // The directory's subtree goes: its children are removed first, noted like any removal.
        for (const c of tree.childIds(n)) remove(c);
      }
      tree.setMeta(n, meta);
    } else {
      tree.put(meta, { onParent }); // parents first, so lists read top-down
      noteNew(meta.path);
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
  for (const path of order) {
    const before = below.get(path) ?? null;
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
  // Room for every entry up front (paths repeated across layers only leave some unused).
  const room = layers.reduce((sum, l) => sum + l.entries.length, 0);
  const tree = base ? base.clone(room) : new FileTree(room);
  const changes = layers.map((l) => applyLayer(tree, l));
  return { tree, changes };
}
