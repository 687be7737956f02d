import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DiffResult } from '../../../shared/model.ts';
import { diffTrees } from './diff.ts';
import { type FileTree } from './tree.ts';
import { buildTree } from './apply-layer.ts';
import { splitPath } from './file-meta.ts';
import { parentPath } from '../../../shared/paths.ts';
import { dir, file, layer, layersArb, symlink } from './testing/layers.ts';

const builder = buildTree([
  layer([
    dir('/src'),
    file('/src/main.go', 'package main'),
    dir('/out'),
    file('/out/app', 'binary v1'),
    file('/etc/conf', 'a'),
    symlink('/bin', 'usr/bin'),
    dir('/cache'),
    dir('/cache/go'),
    file('/cache/go/x', 'xx'),
    dir('/tmp'),
  ]),
]).tree;

const final = buildTree([
  layer([
    dir('/out'),
    file('/out/app', 'binary v2!'),
    file('/etc/conf', 'a', { mode: 0o600, uid: 1 }),
    symlink('/bin', 'usr/local/bin'),
    file('/cache', 'now a file'),
    dir('/new'),
    dir('/new/empty'),
    file('/new/readme', 'hi'),
  ]),
]).tree;

describe('diffTrees', () => {
  const d = diffTrees(builder, final);

  it('lists added and removed files individually, dirs only when empty', () => {
    expect(d.added).toEqual([
      { path: '/new/empty', size: 0, type: 'dir' },
      { path: '/new/readme', size: 2, type: 'file' },
    ]);
    expect(d.removed).toEqual([
      { path: '/cache/go/x', size: 2, type: 'file' },
      { path: '/src/main.go', size: 12, type: 'file' },
      { path: '/tmp', size: 0, type: 'dir' },
    ]);
  });

  it('gives the reasons of each modification', () => {
    expect(d.modified).toEqual([
      { path: '/bin', before: 0, after: 0, reasons: ['link'] },
      { path: '/cache', before: 0, after: 10, reasons: ['type', 'mode'] },
      { path: '/etc/conf', before: 1, after: 1, reasons: ['mode', 'owner'] },
      { path: '/out/app', before: 9, after: 10, reasons: ['content'] },
    ]);
  });

  it('sums bytes added and removed, growth of modified files included', () => {
    expect(d.bytesAdded).toBe(2 + 10 + 1);
    expect(d.bytesRemoved).toBe(2 + 12);
    expect(d.bytesAdded - d.bytesRemoved).toBe(final.totalBytes - builder.totalBytes);
  });

  it('finds nothing between a tree and itself', () => {
    expect(diffTrees(final, final)).toEqual({
      added: [],
      removed: [],
      modified: [],
      addedDirs: [],
      removedDirs: [],
      bytesAdded: 0,
      bytesRemoved: 0,
    });
  });

  it('names the non-empty folders that exist on one side only (a builder against a scratch final)', () => {
    // /src is gone with its file; /cache/go went with /cache turning into a file; /new appeared.
    // /out and /etc are on both sides: not named, though their files changed.
    expect(d.removedDirs).toEqual(['/cache/go', '/src']);
    expect(d.addedDirs).toEqual(['/new']);
    const scratch = buildTree([layer([file('/hello', 'hi')])]).tree;
    const gone = diffTrees(builder, scratch);
    expect(gone.removedDirs).toEqual(['/cache', '/etc', '/out', '/src']);
    expect(gone.addedDirs).toEqual([]);
  });
});

/** Applies a diff to a copy of `a`, taking metadata from `b`, the way a reader of the diff would. */
function applyDiff(a: FileTree, d: DiffResult, b: FileTree): FileTree {
  const t = a.clone();
  for (const r of d.removed) {
    const n = t.lookup(r.path);
    if (n > 0) t.detach(n);
    // Non-empty directories are implied by their entries: one emptied and gone from b goes too.
    for (let p = parentPath(r.path); p !== '/' && !b.get(p); p = parentPath(p)) {
      const pn = t.lookup(p);
      if (pn < 0 || t.childCount(pn) > 0) break;
      t.detach(pn);
    }
  }
  for (const m of d.modified) t.put(b.get(m.path)!);
  for (const e of d.added) {
    const parts = splitPath(e.path);
    for (let i = 1; i <= parts.length; i++) {
      const p = '/' + parts.slice(0, i).join('/');
      if (!t.get(p) || i === parts.length) t.put(b.get(p)!);
    }
  }
  return t;
}

describe('diffTrees (property)', () => {
  it('applied to A gives B, and its byte totals balance', () => {
    fc.assert(
      fc.property(layersArb, layersArb, fc.boolean(), (lower, upper, stacked) => {
        const a = buildTree(lower).tree;
        const b = buildTree(stacked ? [...lower, ...upper] : upper).tree;
        const d = diffTrees(a, b);
        expect([...applyDiff(a, d, b).walk()]).toEqual([...b.walk()]);
        expect(d.bytesAdded - d.bytesRemoved).toBe(b.totalBytes - a.totalBytes);
        for (const list of [d.added, d.removed, d.modified]) {
          expect(list.map((e) => e.path)).toEqual(list.map((e) => e.path).sort());
        }
      }),
      { numRuns: 300 },
    );
  });
});
