// Diff of two merged trees (two stages, or any two images), walked side by side in one pass.
//
// What is listed: files, symlinks and other non-directories individually, and a directory only
// when it has nothing below it (an empty dir added or removed); a non-empty directory that
// appears or vanishes is implied by its entries, which keeps "added 1 file" from reading as
// "added 3 entries"; such directories are named apart (addedDirs / removedDirs) so a viewer
// can mark the folder itself added or removed. A directory present on both sides is listed as modified when its type,
// mode or owner changed (or, when asked, its mtime). Byte totals count regular-file content (hardlinks share their
// target's bytes), so bytesAdded - bytesRemoved = b.totalBytes - a.totalBytes.
import type { DiffEntry, DiffModified, DiffResult, FileMeta, ModifyReason } from '../../../shared/model.ts';
import { FileTree } from './tree.ts';
import { contentBytes, isDir } from './file-meta.ts';
import { joinPath } from '../../../shared/paths.ts';

export interface DiffTreesOptions {
  /** Count a changed modification time (known on both sides) as a change, reason `mtime`. */
  mtime?: boolean;
}

export function modifyReasons(a: FileMeta, b: FileMeta, opts: DiffTreesOptions = {}): ModifyReason[] {
  const reasons: ModifyReason[] = [];
  if (a.type !== b.type) reasons.push('type');
  if (!isDir(a) && !isDir(b) && (a.hash !== b.hash || a.size !== b.size)) reasons.push('content');
  if (a.mode !== b.mode) reasons.push('mode');
  if (a.uid !== b.uid || a.gid !== b.gid) reasons.push('owner');
  if (a.linkTarget !== b.linkTarget) reasons.push('link');
  // Unknown on either side (an index pinned before mtimes were recorded) is not a change.
  if (opts.mtime && a.mtime !== undefined && b.mtime !== undefined && a.mtime !== b.mtime) reasons.push('mtime');
  return reasons;
}

function entry(m: FileMeta, path: string): DiffEntry {
  return { path, size: isDir(m) ? 0 : m.size, type: m.type };
}

/** The leaves of a subtree (the node itself when it is one), with the bytes they hold; a
 *  subtree that is a non-empty directory is named in `dirs`. */
function leaves(tree: FileTree, node: number, path: string, out: DiffEntry[], dirs: string[]): number {
  if (tree.childCount(node) > 0) dirs.push(path);
  let bytes = 0;
  const stack: [number, string][] = [[node, path]];
  while (stack.length > 0) {
    const [n, p] = stack.pop()!;
    const m = tree.metaOf(n);
    if (tree.childCount(n) === 0) {
      out.push(entry(m, p));
      bytes += contentBytes(m);
      continue;
    }
    for (const c of tree.childIds(n)) stack.push([c, joinPath(p, tree.nameOf(c))]);
  }
  return bytes;
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

export function diffTrees(a: FileTree, b: FileTree, opts: DiffTreesOptions = {}): DiffResult {
  const result: DiffResult = { added: [], removed: [], modified: [], addedDirs: [], removedDirs: [], bytesAdded: 0, bytesRemoved: 0 };
  const addedDirs = result.addedDirs!;
  const removedDirs = result.removedDirs!;
  const childrenOnly = (tree: FileTree, n: number, path: string, out: DiffEntry[], dirs: string[]) => {
    let bytes = 0;
    for (const c of tree.childIds(n)) bytes += leaves(tree, c, joinPath(path, tree.nameOf(c)), out, dirs);
    return bytes;
  };
  // Pairs of directories present on both sides.
  const stack: [number, number, string][] = [[FileTree.ROOT, FileTree.ROOT, '/']];
  while (stack.length > 0) {
    const [na, nb, path] = stack.pop()!;
    for (const ca of a.childIds(na)) {
      const name = a.nameOf(ca);
      const p = joinPath(path, name);
      const cb = b.child(nb, name);
      if (cb < 0) {
        result.bytesRemoved += leaves(a, ca, p, result.removed, removedDirs);
        continue;
      }
      const ma = a.metaOf(ca);
      const mb = b.metaOf(cb);
      const reasons = modifyReasons(ma, mb, opts);
      if (reasons.length > 0) {
        const modified: DiffModified = { path: p, before: isDir(ma) ? 0 : ma.size, after: isDir(mb) ? 0 : mb.size, reasons };
        result.modified.push(modified);
        const growth = contentBytes(mb) - contentBytes(ma);
        if (growth > 0) result.bytesAdded += growth;
        else result.bytesRemoved -= growth;
      }
      if (isDir(ma) && isDir(mb)) stack.push([ca, cb, p]);
      else if (isDir(ma)) result.bytesRemoved += childrenOnly(a, ca, p, result.removed, removedDirs);
      else if (isDir(mb)) result.bytesAdded += childrenOnly(b, cb, p, result.added, addedDirs);
    }
    for (const cb of b.childIds(nb)) {
      if (a.child(na, b.nameOf(cb)) >= 0) continue;
      result.bytesAdded += leaves(b, cb, joinPath(path, b.nameOf(cb)), result.added, addedDirs);
    }
  }
  result.added.sort(byPath);
  result.removed.sort(byPath);
  result.modified.sort(byPath);
  addedDirs.sort();
  removedDirs.sort();
  return result;
}
