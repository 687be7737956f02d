import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FileTree } from './tree.ts';
import { applyLayer, buildTree } from './apply-layer.ts';
import { applyNaive, dir, file, hardlink, layer, layersArb, naiveDiff, symlink, type NaiveTree } from './testing/layers.ts';

const base = layer([
  dir('/etc'),
  file('/etc/passwd', 'root'),
  dir('/usr'),
  dir('/usr/bin'),
  file('/usr/bin/a', 'aaaa'),
  file('/usr/bin/b', 'bb'),
]);

function paths(tree: FileTree): string[] {
  return [...tree.walk()].map((m) => m.path);
}

describe('buildTree', () => {
  it('aggregates layers with directory sizes summed below', () => {
    const { tree, changes } = buildTree([base]);
    expect(paths(tree)).toEqual(['/etc', '/etc/passwd', '/usr', '/usr/bin', '/usr/bin/a', '/usr/bin/b']);
    expect(tree.totalBytes).toBe(10);
    expect(tree.sizeOf('/usr')).toBe(6);
    expect(tree.fileCount).toBe(3);
    expect(tree.entryCount).toBe(6);
    expect([changes[0].added.length, changes[0].modified.length, changes[0].removed.length]).toEqual([6, 0, 0]);
    expect(tree.children('/usr/bin').map((m) => m.path)).toEqual(['/usr/bin/a', '/usr/bin/b']);
  });

  it('deletes a file and a whole subtree with whiteouts, counting every removed path', () => {
    const { tree, changes } = buildTree([base, layer([], { whiteouts: ['/etc/passwd', '/usr'] })]);
    expect(paths(tree)).toEqual(['/etc']);
    expect(tree.totalBytes).toBe(0);
    expect(changes[1].removed.sort()).toEqual(['/etc/passwd', '/usr', '/usr/bin', '/usr/bin/a', '/usr/bin/b']);
    expect(changes[1].removedEntries.find((m) => m.path === '/usr/bin/a')?.size).toBe(4);
    expect(changes[1].removed.length).toBe(5);
  });

  it('ignores whiteouts of paths that never existed', () => {
    const { changes } = buildTree([base, layer([], { whiteouts: ['/nope', '/usr/bin/zzz'] })]);
    expect([changes[1].added.length, changes[1].modified.length, changes[1].removed.length]).toEqual([0, 0, 0]);
  });

  it('keeps a path whited out and re-added in the same layer', () => {
    const { tree, changes } = buildTree([base, layer([file('/usr/bin/a', 'new!')], { whiteouts: ['/usr/bin/a'] })]);
    expect(tree.get('/usr/bin/a')?.hash).toBe('h:new!');
    expect(changes[1].modified).toEqual(['/usr/bin/a']);
    expect(changes[1].removed).toEqual([]);
  });

  it('applies an opaque directory before the same layer adds children back', () => {
    const l = layer([dir('/usr/bin'), file('/usr/bin/b', 'bb'), file('/usr/bin/c', 'c')], { opaque: ['/usr/bin'] });
    const { tree, changes } = buildTree([base, l]);
    expect(tree.children('/usr/bin').map((m) => m.path)).toEqual(['/usr/bin/b', '/usr/bin/c']);
    expect(changes[1].removed).toEqual(['/usr/bin/a']);
    expect(changes[1].added).toEqual(['/usr/bin/c']);
    // b came back byte-identical and the directory entry is unchanged: neither is a change.
    expect(changes[1].modified).toEqual([]);
    expect(tree.sizeOf('/usr')).toBe(3);
  });

  it('hides lower grandchildren of an opaque directory too', () => {
    const l = layer([dir('/usr/bin')], { opaque: ['/usr'] });
    const { tree, changes } = buildTree([base, l]);
    expect(paths(tree)).toEqual(['/etc', '/etc/passwd', '/usr', '/usr/bin']);
    expect(changes[1].removed.sort()).toEqual(['/usr/bin/a', '/usr/bin/b']);
    expect(changes[1].modified).toEqual([]);
  });

  it('replaces a directory by a file and a file by a directory', () => {
    const l = layer([file('/usr/bin', 'now a file'), dir('/etc/passwd'), file('/etc/passwd/x', 'x')]);
    const { tree, changes } = buildTree([base, l]);
    expect(tree.get('/usr/bin')?.type).toBe('file');
    expect(tree.get('/usr/bin/a')).toBeNull();
    expect(tree.get('/etc/passwd/x')?.size).toBe(1);
    expect(changes[1].modified.sort()).toEqual(['/etc/passwd', '/usr/bin']);
    expect(changes[1].removed.sort()).toEqual(['/usr/bin/a', '/usr/bin/b']);
    expect(changes[1].added).toEqual(['/etc/passwd/x']);
    expect(tree.totalBytes).toBe(10 + 1);
    expect(tree.fileCount).toBe(2);
  });

  it('does not count repeated unchanged directory entries, but counts a mode or owner change', () => {
    const l = layer([dir('/usr'), dir('/usr/bin', { mode: 0o700 }), dir('/etc', { uid: 0 }), file('/usr/bin/c', 'c')]);
    const { changes } = buildTree([base, l]);
    expect(changes[1].modified).toEqual(['/usr/bin']);
    expect(changes[1].added).toEqual(['/usr/bin/c']);
  });

  it('lists a path once when a layer adds it, replaces its folder by a file and adds it again', () => {
    const l = layer([file('/a/a'), file('/a'), file('/a/a')]);
    const { tree, changes } = buildTree([l, layer([file('/b')])]);
    expect(changes[0].added).toEqual(['/a', '/a/a']);
    expect(changes[0].removed).toEqual([]);
    expect(tree.get('/a')?.type).toBe('dir');
    // The same in a layer above: /x existed below, so it is modified; /x/y is new.
    const again = buildTree([layer([file('/x/y')]), layer([file('/x/y', 'new'), file('/x'), file('/x/y', 'new')])]);
    expect(again.changes[1].modified).toEqual(['/x/y']);
    expect(again.changes[1].removed).toEqual([]);
    expect(again.changes[1].added).toEqual([]);
  });

  it('creates missing parents implicitly and reports them as added', () => {
    const { tree, changes } = buildTree([layer([file('/opt/app/run', 'r')])]);
    expect(tree.get('/opt/app')?.type).toBe('dir');
    expect(changes[0].added).toEqual(['/opt', '/opt/app', '/opt/app/run']);
  });

  it('resolves a hardlink to a lower layer against the tree', () => {
    const { tree } = buildTree([base, layer([hardlink('/usr/bin/a2', '/usr/bin/a')])]);
    const link = tree.get('/usr/bin/a2')!;
    expect(link).toMatchObject({ type: 'hardlink', size: 4, hash: 'h:aaaa', linkTarget: '/usr/bin/a' });
    // A hardlink shares its target's bytes: directory sums do not count it twice.
    expect(tree.sizeOf('/usr/bin')).toBe(6);
    expect(tree.fileCount).toBe(4);
  });

  it('keeps symlinks with their targets', () => {
    const { tree } = buildTree([base, layer([symlink('/bin', 'usr/bin')])]);
    expect(tree.get('/bin')).toMatchObject({ type: 'symlink', linkTarget: 'usr/bin', size: 0 });
  });

  it('builds on a base tree without changing it', () => {
    const first = buildTree([base]).tree;
    const { tree } = buildTree([layer([], { whiteouts: ['/usr'] })], first);
    expect(tree.get('/usr')).toBeNull();
    expect(first.get('/usr/bin/a')?.size).toBe(4);
    expect(first.totalBytes).toBe(10);
  });

  it('reuses the slots of removed nodes', () => {
    const tree = new FileTree();
    for (let i = 0; i < 3; i++) {
      applyLayer(tree, layer([dir('/d'), file('/d/x', 'x'), file('/d/y', 'y')]));
      applyLayer(tree, layer([], { whiteouts: ['/d'] }));
    }
    applyLayer(tree, layer([file('/d/z', 'zz')]));
    expect(tree.lookup('/d/z')).toBeLessThanOrEqual(3);
    expect(tree.totalBytes).toBe(2);
  });
});

describe('deep and wide trees', () => {
  it('handles 3000 levels and 20k siblings without recursion limits', () => {
    const deep = '/d'.repeat(3000);
    const wide = Array.from({ length: 20000 }, (_, i) => file(`/wide/f${i}`, 'x'));
    const { tree, changes } = buildTree([layer([file(deep + '/leaf', 'leaf'), ...wide]), layer([], { whiteouts: ['/d', '/wide'] })]);
    expect(changes[0].added.length).toBe(3000 + 1 + 1 + 20000);
    expect(changes[1].removed.length).toBe(changes[0].added.length);
    expect(tree.entryCount).toBe(0);
    expect(buildTree([layer([file(deep + '/leaf', 'leaf')])]).tree.sizeOf('/d')).toBe(4);
  });
});

describe('buildTree against a naive reference model (property)', () => {
  it('equals the naive model after every layer, and its changes are the naive before/after diff', () => {
    fc.assert(
      fc.property(layersArb, (layers) => {
        const tree = new FileTree();
        const model: NaiveTree = new Map();
        for (const l of layers) {
          const before = new Map(model);
          const changes = applyLayer(tree, l);
          applyNaive(model, l);
          const expected = [...model.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
          expect([...tree.walk()]).toEqual(expected);
          expect(tree.fileCount).toBe(expected.filter((m) => m.type !== 'dir').length);
          expect(tree.totalBytes).toBe(expected.reduce((s, m) => s + (m.type === 'file' ? m.size : 0), 0));
          const d = naiveDiff(before, model);
          expect({
            added: [...changes.added].sort(),
            removed: [...changes.removed].sort(),
            modified: [...changes.modified].sort(),
          }).toEqual(d);
        }
      }),
      { numRuns: 300 },
    );
  });
});
