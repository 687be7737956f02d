import { describe, expect, it } from 'vitest';
import { DiffTreeModel, OPEN_ALL_BELOW } from './diffTree.svelte.ts';
import type { DiffResult } from '../../../shared/model.ts';

const result: DiffResult = {
  added: [{ path: '/bin/hello', size: 1000, type: 'file' }],
  removed: [
    { path: '/usr/lib/go/bin/go', size: 5000, type: 'file' },
    { path: '/usr/lib/go/bin/gofmt', size: 300, type: 'file' },
  ],
  modified: [{ path: '/etc/os-release', before: 10, after: 30, reasons: ['content'] }],
  bytesAdded: 1000,
  bytesRemoved: 5300,
};

describe('DiffTreeModel', () => {
  it('shows only what changed, with folder deltas summed', () => {
    const t = new DiffTreeModel(result);
    expect(t.rows.map((r) => `${'  '.repeat(r.depth)}${r.name} ${r.size}`)).toEqual([
      'bin 1000',
      '  hello 1000',
      'etc 20',
      '  os-release 20',
      'usr -5300',
      '  lib -5300',
      '    go -5300',
      '      bin -5300',
      '        go -5000',
      '        gofmt -300',
    ]);
    expect(t.rows[1].change).toBe('added');
    expect(t.rows[8].change).toBe('removed');
  });

  it('filters by kind and collapses / expands folders', async () => {
    const t = new DiffTreeModel(result, 'removed');
    expect(t.rows.map((r) => r.name)).toEqual(['usr', 'lib', 'go', 'bin', 'go', 'gofmt']);
    await t.setExpanded(t.rows[1], false);
    expect(t.rows.map((r) => r.name)).toEqual(['usr', 'lib']);
    await t.setExpanded(t.rows[1], true);
    expect(t.rows).toHaveLength(6);
    expect(t.parentIndex(5)).toBe(3);
  });

  it('marks a folder that exists on one side only as added / removed, like its contents', () => {
    const scratch: DiffResult = {
      added: [{ path: '/hello', size: 10, type: 'file' }],
      removed: [
        { path: '/etc/ssl/certs/ca.pem', size: 200, type: 'file' },
        { path: '/root/.profile', size: 50, type: 'file' },
        { path: '/usr/lib/x', size: 5, type: 'file' },
      ],
      modified: [],
      addedDirs: [],
      removedDirs: ['/etc', '/root'],
      bytesAdded: 10,
      bytesRemoved: 255,
    };
    const t = new DiffTreeModel(scratch);
    const change = Object.fromEntries(t.rows.map((r) => [r.path, r.change]));
    expect(change).toMatchObject({ '/etc': 'removed', '/etc/ssl': 'removed', '/etc/ssl/certs': 'removed', '/root': 'removed' });
    // /usr is still there on the other side: only its file went.
    expect(change['/usr']).toBe('unchanged');
    expect(t.rows.filter((r) => r.change === 'unchanged' && r.size < 0).map((r) => r.path)).toEqual(['/usr', '/usr/lib']);
  });

  it('starts big diffs at their top folders', () => {
    const many: DiffResult = {
      ...result,
      removed: Array.from({ length: OPEN_ALL_BELOW }, (_, i) => ({ path: `/usr/f${i}`, size: 1, type: 'file' as const })),
    };
    const t = new DiffTreeModel(many);
    expect(t.rows.map((r) => r.name)).toEqual(['bin', 'etc', 'usr']);
    expect(t.rows[2].size).toBe(-OPEN_ALL_BELOW);
  });
});
