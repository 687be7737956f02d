// Small rules about entries and their paths that the tree, its layer application, diffs and
// rows share: what a directory is, what bytes an entry counts for, when two entries are the
// same, and the name order listings use.
import type { FileMeta } from '../../../shared/model.ts';

export function isDir(meta: FileMeta): boolean {
  return meta.type === 'dir';
}

/** Bytes a node contributes to directory sums: hardlinks share their target's bytes. */
export function contentBytes(meta: FileMeta): number {
  return meta.type === 'file' ? meta.size : 0;
}

export function sameMeta(a: FileMeta, b: FileMeta): boolean {
  return (
    a.type === b.type &&
    a.mode === b.mode &&
    a.uid === b.uid &&
    a.gid === b.gid &&
    a.size === b.size &&
    a.hash === b.hash &&
    a.linkTarget === b.linkTarget
  );
}

export function dirMeta(path: string, mode = 0o755): FileMeta {
  return { path, type: 'dir', size: 0, mode, uid: 0, gid: 0, linkTarget: null, hash: null };
}

/** Splits an absolute path into its components, ignoring empty ones and `.`. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

/** `/`, `` or `/./`: the root's own entry. */
export function isRootPath(path: string): boolean {
  return /^[/.]*$/.test(path) && !path.includes('..');
}

/** Byte-wise name order: stable across locales and cheap. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Numbers in entries, kept small for V8. On 64-bit V8 (no pointer compression in Node) an
// integer up to 2^31 sits in its field; any other number, or any number in a field V8 tracks as
// "double", takes a 16-byte heap box per entry: up to 4 per entry (size, uid, gid, mtime), 32 MB
// for 500k decoded entries.

/** The same number, as a small integer when it is one (a double read from a buffer is boxed even when integral). */
export function small(x: number): number {
  return (x | 0) === x ? x | 0 : x;
}

let primed = false;
/**
 * Makes V8 track the mtime field of the entry shape as "any value" before the first entry is
 * made: otherwise one fractional time (PAX records keep fractions) turns it into a double field
 * and every entry's mtime, integral ones included, gets a box. The parser and the layer decoder
 * call it; their literals share this shape (same properties, same order).
 */
export function primeFileMetaShape(): void {
  if (primed) return;
  primed = true;
  const shape: FileMeta = { path: '', type: 'file', size: 0, mode: 0, uid: 0, gid: 0, linkTarget: null, hash: null, mtime: undefined };
  void shape;
}
