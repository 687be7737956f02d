// Move detection keeps the diff exact: applying added / removed / modified / moved to A gives
// B, every move pairs entries of the same type and content, and no path is listed twice.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileMeta } from '../../../shared/model.ts';
import { semanticDiff } from './semantic-diff.ts';
import { FileTree } from './tree.ts';
import { buildTree } from './apply-layer.ts';
import { file, hardlink, layer, layersArb, symlink } from './testing/layers.ts';
import type { LayerIndex } from './types.ts';

/** Non-directory entries by path: what a diff must carry from A to B. */
function leaves(tree: FileTree): Map<string, FileMeta> {
  const out = new Map<string, FileMeta>();
  const walk = (n: number) => {
    for (const c of tree.childIds(n)) {
      const m = tree.metaOf(c);
      if (m.type !== 'dir') out.set(tree.pathOf(c), m);
      walk(c);
    }
  };
  walk(FileTree.ROOT);
  return out;
}

const content = (m: FileMeta | undefined) => (m ? `${m.type}|${m.hash}|${m.linkTarget}|${m.size}` : 'absent');

function check(la: LayerIndex[], lb: LayerIndex[]) {
  const a = buildTree(la).tree;
  const b = buildTree(lb).tree;
  const d = semanticDiff(a, b);
  const before = leaves(a);
  const after = leaves(b);
  const applied = new Map(before);
  const drop = (p: string) => {
    for (const k of [...applied.keys()]) if (k === p || k.startsWith(p + '/')) applied.delete(k);
  };
  for (const r of d.removed) drop(r.path);
  for (const m of d.moved) {
    expect(content(before.get(m.from)).replace(/\|\d+$/, '')).toBe(content(after.get(m.to)).replace(/\|\d+$/, ''));
    expect(before.get(m.from)!.type).toBe(after.get(m.to)!.type);
    applied.set(m.to, before.get(m.from)!);
    drop(m.from);
  }
  for (const m of d.modified) {
    applied.delete(m.path); // a dir that became a file lists its children as removed
    const meta = after.get(m.path);
    if (meta) applied.set(m.path, meta);
  }
  for (const x of d.added) if (after.has(x.path)) applied.set(x.path, after.get(x.path)!);
  const view = (m: Map<string, FileMeta>) => [...m].map(([p, meta]) => `${p} ${content(meta)}`).sort();
  expect(view(applied)).toEqual(view(after));
  const listed = [...d.added.map((e) => e.path), ...d.removed.map((e) => e.path), ...d.moved.flatMap((m) => [m.from, m.to])];
  expect(new Set(listed).size).toBe(listed.length);
  expect(d.bytesAdded - d.bytesRemoved).toBe(b.totalBytes - a.totalBytes);
}

describe('move detection (property)', () => {
  it('applying the diff with moves to A gives B, for random pairs of images', () => {
    fc.assert(
      fc.property(layersArb, layersArb, (la, lb) => check(la, lb)),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });

  it('finds every move when B is A with files moved, and applying it still gives B', () => {
    const names = fc.constantFrom('a', 'b', 'c', 'hello', 'lib.so');
    const dirs = fc.constantFrom('/usr/bin', '/bin', '/opt/app', '/srv');
    const arb = fc.array(
      fc.record({ dir: dirs, name: names, body: fc.constantFrom('x', 'yy', 'zzz', 'q'), to: dirs, move: fc.boolean() }),
      { minLength: 1, maxLength: 10 },
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const seen = new Set<string>();
        const unique = specs.filter((s) => !seen.has(`${s.dir}/${s.name}`) && seen.add(`${s.dir}/${s.name}`));
        const la = [layer(unique.map((s) => file(`${s.dir}/${s.name}`, s.body)))];
        const taken = new Set(unique.map((s) => `${s.dir}/${s.name}`));
        const entries: FileMeta[] = [];
        const whiteouts: string[] = [];
        let expectedMoves = 0;
        for (const s of unique) {
          const target = `${s.to}/${s.name}`;
          if (!s.move || taken.has(target)) continue;
          taken.add(target);
          whiteouts.push(`${s.dir}/${s.name}`);
          entries.push(file(target, s.body));
          expectedMoves++;
        }
        const lb = [...la, layer(entries, { whiteouts })];
        check(la, lb);
        expect(semanticDiff(buildTree(la).tree, buildTree(lb).tree).moved.length).toBe(expectedMoves);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });

  it('pairs a merged-/usr move by name and keeps a symlink move apart from a file', () => {
    const a = buildTree([layer([file('/usr/bin/hello', 'bin'), file('/usr/bin/other', 'bin'), symlink('/usr/lib/x', 'y')])]).tree;
    const b = buildTree([layer([file('/bin/other', 'bin'), file('/bin/hello', 'bin'), symlink('/lib/x', 'y')])]).tree;
    const d = semanticDiff(a, b);
    expect(d.moved).toEqual([
      { from: '/usr/bin/hello', to: '/bin/hello', size: 3 },
      { from: '/usr/bin/other', to: '/bin/other', size: 3 },
      { from: '/usr/lib/x', to: '/lib/x', size: 0 },
    ]);
    expect([d.added, d.removed, d.bytesAdded, d.bytesRemoved]).toEqual([[], [], 0, 0]);
  });

  it('does not move a hardlink whose target changed (a CI counterexample)', () => {
    const la = [layer([file('/a', 'x'), hardlink('/c/a', '/a')])];
    const lb = [layer([file('/b', 'x'), hardlink('/a/a', '/b')])];
    check(la, lb);
    expect(semanticDiff(buildTree(la).tree, buildTree(lb).tree).moved.map((m) => m.to)).toEqual([]);
  });

  it('hides owner and mode changes on request, keeps content changes', () => {
    const a = buildTree([layer([file('/etc/conf', 'a'), file('/etc/app', 'v1')])]).tree;
    const b = buildTree([layer([file('/etc/conf', 'a', { mode: 0o600, uid: 5 }), file('/etc/app', 'v2', { uid: 5 })])]).tree;
    expect(semanticDiff(a, b).modified.map((m) => m.path)).toEqual(['/etc/app', '/etc/conf']);
    const quiet = semanticDiff(a, b, { ignore: ['owner', 'mode'] });
    expect(quiet.modified).toEqual([{ path: '/etc/app', before: 2, after: 2, reasons: ['content'] }]);
  });
});
