import { describe, expect, it } from 'vitest';
import type { ChangeKind } from '../../../shared/model.ts';
import { buildLayerView, buildUptoView, compileFilter, treeRows } from './rows.ts';
import { buildTree } from './apply-layer.ts';
import { dir, file, layer, symlink } from './testing/layers.ts';

const { tree } = buildTree([
  layer([
    dir('/bin'),
    file('/bin/sh', 'shell'),
    symlink('/bin/ls', 'busybox'),
    dir('/usr'),
    dir('/usr/lib'),
    file('/usr/lib/big.so', 'x'.repeat(100)),
    file('/usr/lib/small.so', 'x'),
    dir('/usr/src'),
    file('/usr/src/main.go', 'package main'),
    dir('/empty'),
  ]),
]);

const paths = (rows: { path: string }[]) => rows.map((r) => r.path);

describe('treeRows', () => {
  it('shows only the top level when nothing is expanded, sorted by name', () => {
    const { rows, total } = treeRows(tree, { expanded: new Set() });
    expect(paths(rows)).toEqual(['/bin', '/empty', '/usr']);
    expect(total).toBe(3);
    expect(rows[2]).toMatchObject({ name: 'usr', depth: 0, type: 'dir', size: 113, childCount: 2, change: 'unchanged' });
  });

  it('opens expanded directories depth-first', () => {
    const { rows } = treeRows(tree, { expanded: new Set(['/usr', '/usr/lib']) });
    expect(paths(rows)).toEqual(['/bin', '/empty', '/usr', '/usr/lib', '/usr/lib/big.so', '/usr/lib/small.so', '/usr/src']);
    expect(rows.map((r) => r.depth)).toEqual([0, 0, 0, 1, 2, 2, 1]);
  });

  it('sorts by size, largest first, directories by the sum below', () => {
    const { rows } = treeRows(tree, { expanded: 'all', sort: 'size' });
    expect(paths(rows).slice(0, 4)).toEqual(['/usr', '/usr/lib', '/usr/lib/big.so', '/usr/lib/small.so']);
    expect(rows.find((r) => r.path === '/bin/ls')).toMatchObject({ type: 'symlink', linkTarget: 'busybox', size: 0 });
  });

  it('pages with offset and limit while reporting the total', () => {
    const all = treeRows(tree, { expanded: 'all' });
    expect(all.total).toBe(10);
    const page = treeRows(tree, { expanded: 'all', offset: 3, limit: 4 });
    expect(page.total).toBe(10);
    expect(page.rows).toEqual(all.rows.slice(3, 7));
    expect(treeRows(tree, { expanded: 'all', offset: 9, limit: 5 }).rows).toHaveLength(1);
  });

  it('filters by substring, keeping matches and their ancestors expanded', () => {
    const { rows } = treeRows(tree, { expanded: new Set(), filter: 'MAIN' });
    expect(paths(rows)).toEqual(['/usr', '/usr/src', '/usr/src/main.go']);
  });

  it('with a filter, counts the matches and sizes folders by what matches below them', () => {
    const slice = treeRows(tree, { expanded: new Set(), filter: 'small' });
    expect(slice.matches).toEqual({ count: 1, bytes: 1 });
    // /usr holds 113 bytes, but only the 1-byte match shows below it.
    expect(slice.rows.map((r) => [r.path, r.size])).toEqual([
      ['/usr', 1],
      ['/usr/lib', 1],
      ['/usr/lib/small.so', 1],
    ]);
    // A matching folder counts whole, once, though files below it match too.
    const lib = treeRows(tree, { expanded: new Set(), filter: 'l*' });
    expect(lib.matches).toEqual({ count: 2, bytes: 101 });
    expect(lib.rows.find((r) => r.path === '/usr')?.size).toBe(101);
    expect(treeRows(tree, { expanded: new Set() }).matches).toBeUndefined();
  });

  it('filters by a name glob and by a path glob with **', () => {
    expect(paths(treeRows(tree, { expanded: new Set(), filter: '*.so' }).rows)).toEqual([
      '/usr',
      '/usr/lib',
      '/usr/lib/big.so',
      '/usr/lib/small.so',
    ]);
    expect(paths(treeRows(tree, { expanded: new Set(), filter: '/usr/**/s?all.*' }).rows)).toEqual([
      '/usr',
      '/usr/lib',
      '/usr/lib/small.so',
    ]);
    expect(paths(treeRows(tree, { expanded: new Set(), filter: 'bin/*' }).rows)).toEqual(['/bin', '/bin/ls', '/bin/sh']);
  });

  it('shows the contents of a matching directory only when it is opened', () => {
    expect(paths(treeRows(tree, { expanded: new Set(), filter: 'lib' }).rows)).toEqual(['/usr', '/usr/lib']);
    expect(paths(treeRows(tree, { expanded: new Set(['/usr/lib']), filter: 'lib' }).rows)).toEqual([
      '/usr',
      '/usr/lib',
      '/usr/lib/big.so',
      '/usr/lib/small.so',
    ]);
  });

  it('marks changes and keeps only changed rows when asked', () => {
    const changes = new Map<string, ChangeKind>([
      ['/usr/src/main.go', 'modified'],
      ['/bin/sh', 'added'],
      ['/gone', 'removed'],
    ]);
    const { rows } = treeRows(tree, { expanded: new Set(['/bin']), changes, onlyChanged: true });
    expect(rows.map((r) => [r.path, r.change])).toEqual([
      ['/bin', 'unchanged'],
      ['/bin/sh', 'added'],
      ['/usr', 'unchanged'],
      ['/usr/src', 'unchanged'],
      ['/usr/src/main.go', 'modified'],
    ]);
  });

  it('combines a filter with onlyChanged', () => {
    const changes = new Map<string, ChangeKind>([
      ['/usr/src/main.go', 'modified'],
      ['/bin/sh', 'added'],
    ]);
    expect(paths(treeRows(tree, { expanded: new Set(), changes, onlyChanged: true, filter: '*.go' }).rows)).toEqual([
      '/usr',
      '/usr/src',
      '/usr/src/main.go',
    ]);
  });
});

describe('treeRows reuse between slices', () => {
  it('notices a mutated expanded set and a changed tree', () => {
    const t = buildTree([layer([dir('/a'), file('/a/x', 'x')])]).tree;
    const expanded = new Set<string>();
    expect(treeRows(t, { expanded, limit: 1 }).total).toBe(1);
    expanded.add('/a');
    expect(treeRows(t, { expanded, limit: 1 }).total).toBe(2);
    t.put(file('/a/y', 'y'));
    expect(treeRows(t, { expanded, offset: 2 }).rows.map((r) => r.path)).toEqual(['/a/y']);
  });
});

describe('compileFilter', () => {
  it('treats text without wildcards as a substring of the path', () => {
    expect(compileFilter('usr/li')('/usr/lib/x', 'x')).toBe(true);
    expect(compileFilter('a.c')('/abc', 'abc')).toBe(false);
  });
  it('keeps * within one name and lets ** cross directories', () => {
    expect(compileFilter('/usr/*.so')('/usr/lib/a.so', 'a.so')).toBe(false);
    expect(compileFilter('/usr/**.so')('/usr/lib/a.so', 'a.so')).toBe(true);
    expect(compileFilter('**/a.so')('/a.so', 'a.so')).toBe(true);
  });
});

describe('buildLayerView', () => {
  it('shows a layer’s own entries and what it removed, marked against the tree below', () => {
    const lower = layer([dir('/app'), file('/app/old', 'old'), file('/app/keep', 'k'), dir('/etc'), file('/etc/conf', 'a')]);
    const upper = layer([dir('/app'), file('/app/new', 'new'), file('/etc/conf', 'b'), file('/app/keep', 'k')], {
      whiteouts: ['/app/old'],
    });
    const { changes } = buildTree([lower, upper]);
    const view = buildLayerView(upper, changes[1]);
    const { rows, total } = treeRows(view.tree, { expanded: 'all', changes: view.changes });
    expect(rows.map((r) => [r.path, r.change])).toEqual([
      ['/app', 'unchanged'],
      ['/app/keep', 'unchanged'],
      ['/app/new', 'added'],
      ['/app/old', 'removed'],
      ['/etc', 'unchanged'],
      ['/etc/conf', 'modified'],
    ]);
    expect(total).toBe(6);
    // The removed file shows its size but the folder sums only what the layer carries.
    expect(rows.find((r) => r.path === '/app/old')?.size).toBe(3);
    expect(rows[0].size).toBe(4);
    expect(paths(treeRows(view.tree, { expanded: 'all', onlyChanged: true, changes: view.changes }).rows)).toEqual([
      '/app',
      '/app/new',
      '/app/old',
      '/etc',
      '/etc/conf',
    ]);
  });
});

describe('buildUptoView', () => {
  const base = layer([
    dir('/app'),
    file('/app/old', 'old'),
    file('/app/keep', 'k'),
    dir('/etc'),
    file('/etc/conf', 'a'),
    dir('/var'),
    file('/var/x', 'x'),
  ]);
  const mid = layer([file('/app/new', 'new'), file('/etc/conf', 'bb')], { whiteouts: ['/app/old'] });
  const top = layer([file('/var', 'now a file')], { whiteouts: ['/etc'] });
  const layers = [base, mid, top];
  const { changes } = buildTree(layers);
  const rowsOf = (n: number, onlyChanged = false) => {
    const view = buildUptoView(layers, changes, n);
    return treeRows(view.tree, { expanded: 'all', changes: view.changes, onlyChanged }).rows;
  };

  it('shows everything merged up to the layer, marking that layer’s changes and ghosts', () => {
    expect(rowsOf(1).map((r) => [r.path, r.change])).toEqual([
      ['/app', 'unchanged'],
      ['/app/keep', 'unchanged'],
      ['/app/new', 'added'],
      ['/app/old', 'removed'],
      ['/etc', 'unchanged'],
      ['/etc/conf', 'modified'],
      ['/var', 'unchanged'],
      ['/var/x', 'unchanged'],
    ]);
    // Ghosts are shown with their size but not counted in their folder's.
    const app = rowsOf(1).find((r) => r.path === '/app');
    expect(app?.size).toBe(4);
    expect(paths(rowsOf(1, true))).toEqual(['/app', '/app/new', '/app/old', '/etc', '/etc/conf']);
  });

  it('leaves out layers above n and never turns a replaced folder back into one', () => {
    const zero = rowsOf(0);
    expect(zero.every((r) => r.change === 'added' || r.path === '/')).toBe(true);
    expect(paths(zero)).not.toContain('/app/new');
    const rows = rowsOf(2);
    expect(rows.find((r) => r.path === '/etc')?.change).toBe('removed');
    expect(rows.find((r) => r.path === '/etc/conf')?.change).toBe('removed');
    expect(rows.find((r) => r.path === '/var')).toMatchObject({ type: 'file', change: 'modified', childCount: 0 });
    expect(paths(rows)).not.toContain('/var/x');
    expect(paths(rows)).toContain('/app/new');
  });
});
