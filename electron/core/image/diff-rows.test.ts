import { describe, expect, it } from 'vitest';
import { DiffRows } from './diff-rows.ts';
import type { DiffResult, TreeRow } from '../../../shared/model.ts';

const result: DiffResult = {
  added: [{ path: '/bin/hello', size: 1000, type: 'file' }],
  removed: [
    { path: '/usr/lib/go/bin/go', size: 5000, type: 'file' },
    { path: '/usr/lib/go/bin/gofmt', size: 300, type: 'file' },
  ],
  modified: [{ path: '/etc/os-release', before: 10, after: 30, reasons: ['content'] }],
  moved: [{ from: '/opt/a', to: '/srv/a', size: 7 }],
  bytesAdded: 1020,
  bytesRemoved: 5300,
};

const outline = (rows: TreeRow[]) =>
  rows.map((r) => `${'  '.repeat(r.depth)}${r.name} ${r.size}${r.change === 'unchanged' ? '' : ` ${r.change}`}`);

describe('DiffRows', () => {
  it('shows only what changed as a tree, folders summing the signed deltas below them', () => {
    const d = new DiffRows(result);
    expect(outline(d.rows('all', { expanded: 'all' }).rows)).toEqual([
      'bin 1000',
      '  hello 1000 added',
      'etc 20',
      '  os-release 20 modified',
      // A move shows at both of its paths.
      'opt -7',
      '  a -7 removed',
      'srv 7',
      '  a 7 added',
      'usr -5300',
      '  lib -5300',
      '    go -5300',
      '      bin -5300',
      '        go -5000 removed',
      '        gofmt -300 removed',
    ]);
  });

  it('sums up without the changes: counts, totals per kind, the moves', () => {
    expect(new DiffRows(result).summary).toEqual({
      counts: { added: 1, removed: 2, modified: 1, moved: 1 },
      totals: { added: 1000, removed: 5300, modified: 20 },
      bytesAdded: 1020,
      bytesRemoved: 5300,
      moved: [{ from: '/opt/a', to: '/srv/a', size: 7 }],
    });
  });

  it('keeps one kind of change, pages, and opens only the folders asked for', () => {
    const d = new DiffRows(result);
    expect(d.rows('removed', { expanded: 'all' }).rows.map((r) => r.name)).toEqual(['opt', 'a', 'usr', 'lib', 'go', 'bin', 'go', 'gofmt']);
    const top = d.rows('removed', { expanded: new Set(), offset: 1, limit: 5 });
    expect(top.total).toBe(2);
    expect(top.rows.map((r) => `${r.name} ${r.size} ${r.childCount}`)).toEqual(['usr -5300 1']);
  });

  it('filters in the engine with the stage tree\'s "N matches · X" totals', () => {
    const slice = new DiffRows(result).rows('all', { expanded: new Set(), filter: 'gofmt' });
    expect(slice.matches).toEqual({ count: 1, bytes: -300 });
    // The folders above a match open by themselves and show the bytes of what matches below.
    expect(outline(slice.rows)).toEqual(['usr -300', '  lib -300', '    go -300', '      bin -300', '        gofmt -300 removed']);
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
    const rows = new DiffRows(scratch).rows('all', { expanded: 'all' }).rows;
    const change = Object.fromEntries(rows.map((r) => [r.path, r.change]));
    expect(change).toMatchObject({ '/etc': 'removed', '/etc/ssl': 'removed', '/etc/ssl/certs': 'removed', '/root': 'removed' });
    // /usr is still there on the other side: only its file went.
    expect(change['/usr']).toBe('unchanged');
    expect(rows.filter((r) => r.change === 'unchanged' && r.size < 0).map((r) => r.path)).toEqual(['/usr', '/usr/lib']);
  });

  it('a changed folder with changes below it stays a folder whatever the order', () => {
    const d = new DiffRows({
      added: [{ path: '/etc/new', size: 4, type: 'file' }],
      removed: [],
      modified: [{ path: '/etc', before: 0, after: 0, reasons: ['mode'] }],
      bytesAdded: 4,
      bytesRemoved: 0,
    });
    expect(outline(d.rows('all', { expanded: 'all' }).rows)).toEqual(['etc 4 modified', '  new 4 added']);
  });

  it('lists every changed path flat, in path order, with why it changed, filtered and paged', () => {
    const d = new DiffRows(result);
    const list = d.list('all', {});
    expect(list.rows.map((r) => `${r.change} ${r.name} ${r.size} ${r.detail}`)).toEqual([
      'added /bin/hello 1000 file',
      'modified /etc/os-release 20 content',
      'removed /opt/a -7 moved to /srv/a',
      'added /srv/a 7 moved from /opt/a',
      'removed /usr/lib/go/bin/go -5000 file',
      'removed /usr/lib/go/bin/gofmt -300 file',
    ]);
    expect(d.list('removed', { offset: 1, limit: 1 })).toMatchObject({ total: 3, rows: [{ path: '/usr/lib/go/bin/go' }] });
    expect(d.list('all', { filter: 'go*' })).toMatchObject({ total: 2, matches: { count: 2, bytes: -5300 } });
  });
});
