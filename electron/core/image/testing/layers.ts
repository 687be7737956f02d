// Hand-built layer indexes for the image analysis tests (no tars needed), plus the random
// layer generator and the naive Map<path, meta> reference model the property tests share.
import fc from 'fast-check';
import type { FileMeta } from '../../../../shared/model.ts';
import type { LayerIndex } from '../types.ts';
import { dirMeta, sameMeta } from '../file-meta.ts';

export function file(path: string, content = path, extra: Partial<FileMeta> = {}): FileMeta {
  return { path, type: 'file', size: content.length, mode: 0o644, uid: 0, gid: 0, linkTarget: null, hash: `h:${content}`, ...extra };
}
export function dir(path: string, extra: Partial<FileMeta> = {}): FileMeta {
  return { ...dirMeta(path), ...extra };
}
export function symlink(path: string, target: string): FileMeta {
  return { path, type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: target, hash: null };
}
/** A hardlink whose target is in a lower layer: size and hash unknown to the reader. */
export function hardlink(path: string, target: string): FileMeta {
  return { path, type: 'hardlink', size: 0, mode: 0o644, uid: 0, gid: 0, linkTarget: target, hash: null };
}

let layerSeq = 0;
export function layer(entries: FileMeta[], opts: { whiteouts?: string[]; opaque?: string[]; id?: string } = {}): LayerIndex {
  return {
    diffId: opts.id ?? `sha256:layer${++layerSeq}`,
    entries,
    whiteouts: opts.whiteouts ?? [],
    opaqueDirs: opts.opaque ?? [],
    size: entries.reduce((s, e) => s + (e.type === 'file' ? e.size : 0), 0),
    tarBytes: 0,
  };
}

// ------------------------------------------------------------ reference model

export type NaiveTree = Map<string, FileMeta>;

function dropBelow(m: NaiveTree, path: string): void {
  for (const k of [...m.keys()]) if (k.startsWith(path + '/')) m.delete(k);
}

/** The OCI rules written the obvious way, over a flat map: what the compact tree must equal. */
export function applyNaive(m: NaiveTree, l: LayerIndex): void {
  for (const d of l.opaqueDirs) if (m.get(d)?.type === 'dir') dropBelow(m, d);
  for (const w of l.whiteouts) {
    if (!m.has(w)) continue;
    m.delete(w);
    dropBelow(m, w);
  }
  for (let e of l.entries) {
    const parts = e.path.split('/').filter(Boolean);
    if (parts.length === 0) continue;
    // A hardlink is resolved against the tree as it stood when the entry arrived.
    if (e.type === 'hardlink' && e.hash === null && e.linkTarget) {
      const t = m.get(e.linkTarget);
      if (t && (t.type === 'file' || t.type === 'hardlink')) e = { ...e, size: t.size, hash: t.hash };
    }
    for (let i = 1; i < parts.length; i++) {
      const a = '/' + parts.slice(0, i).join('/');
      if (m.get(a)?.type !== 'dir') m.set(a, dirMeta(a));
    }
    if (m.get(e.path)?.type === 'dir' && e.type !== 'dir') dropBelow(m, e.path);
    m.set(e.path, e);
  }
}

export function naiveDiff(before: NaiveTree, after: NaiveTree) {
  const added = [...after.keys()].filter((k) => !before.has(k)).sort();
  const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
  const modified = [...after.keys()].filter((k) => before.has(k) && !sameMeta(before.get(k)!, after.get(k)!)).sort();
  return { added, removed, modified };
}

// ------------------------------------------------------------ random layers

// Few names and shallow paths so that layers collide often (replace, whiteout, re-add).
const pathArb = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }).map((parts) => '/' + parts.join('/'));

const metaArb: fc.Arbitrary<FileMeta> = fc
  .record({
    path: pathArb,
    kind: fc.constantFrom('file', 'file', 'dir', 'dir', 'symlink', 'hardlink'),
    content: fc.constantFrom('', 'x', 'yy', 'zzz'),
    mode: fc.constantFrom(0o644, 0o755),
    uid: fc.constantFrom(0, 1000),
    target: pathArb,
  })
  .map(({ path, kind, content, mode, uid, target }) => {
    if (kind === 'file') return file(path, content, { mode, uid });
    if (kind === 'dir') return dir(path, { mode, uid });
    if (kind === 'symlink') return symlink(path, target);
    return hardlink(path, target);
  });

export const layerArb: fc.Arbitrary<LayerIndex> = fc
  .record({
    entries: fc.array(metaArb, { maxLength: 8 }),
    whiteouts: fc.array(pathArb, { maxLength: 2 }),
    opaque: fc.array(pathArb, { maxLength: 1 }),
  })
  .map(({ entries, whiteouts, opaque }) => layer(entries, { whiteouts, opaque }));

export const layersArb = fc.array(layerArb, { minLength: 1, maxLength: 5 });
