// Timestamps in diffs: hidden by default (a rebuild after a `touch` would list every copied
// file), shown with `include: ['mtime']` as the reason `mtime`, and never guessed when one side
// does not know it (a layer index pinned before mtimes were recorded).
import { describe, expect, it } from 'vitest';
import { semanticDiff } from './semantic-diff.ts';
import { buildTree } from './apply-layer.ts';
import { dir, file, layer } from './testing/layers.ts';

const tree = (mtimes: { app: number | undefined; conf: number; etc: number }) =>
  buildTree([
    layer([
      dir('/etc', { mtime: mtimes.etc }),
      file('/etc/conf', 'same', { mtime: mtimes.conf, mode: 0o644 }),
      file('/app', 'same', mtimes.app === undefined ? {} : { mtime: mtimes.app }),
    ]),
  ]).tree;

describe('semanticDiff and mtime', () => {
  const a = tree({ app: 100, conf: 100, etc: 100 });
  const b = tree({ app: 200, conf: 100, etc: 300 });

  it('ignores an mtime-only change by default', () => {
    const d = semanticDiff(a, b);
    expect(d.modified).toEqual([]);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
  });

  it('reports it with include mtime, folders too, and still hides what --ignore names', () => {
    const d = semanticDiff(a, b, { include: ['mtime'] });
    expect(d.modified).toEqual([
      { path: '/app', before: 4, after: 4, reasons: ['mtime'] },
      { path: '/etc', before: 0, after: 0, reasons: ['mtime'] },
    ]);
    const c = buildTree([
      layer([dir('/etc', { mtime: 100 }), file('/etc/conf', 'same', { mtime: 100, mode: 0o600 }), file('/app', 'same', { mtime: 100 })]),
    ]).tree;
    expect(semanticDiff(a, c, { include: ['mtime'] }).modified).toEqual([{ path: '/etc/conf', before: 4, after: 4, reasons: ['mode'] }]);
    expect(semanticDiff(a, c, { include: ['mtime'], ignore: ['mode'] }).modified).toEqual([]);
  });

  it('does not count an mtime unknown on one side as a change', () => {
    const unknown = tree({ app: undefined, conf: 100, etc: 100 });
    expect(semanticDiff(unknown, a, { include: ['mtime'] }).modified).toEqual([]);
  });
});
