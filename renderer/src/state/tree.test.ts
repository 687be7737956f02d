// TreeModel's paging as the list drives it: pages fetched ahead of the scroll, a bounded
// cache, and no re-render for a page that arrives outside the rows in view.
import { describe, expect, it } from 'vitest';
import type { TreeRow } from '../../../shared/model.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { CACHED_PAGES, PAGE_SIZE, TreeModel } from './tree.svelte.ts';

const TOTAL = 100_000;

function row(i: number): TreeRow {
  // Every 50th row is a folder: what "collapse one folder out of all" keeps open.
  const dir = i % 50 === 0;
  return {
    path: dir ? `/d${i}` : `/d${i - (i % 50)}/f${i}`,
    name: dir ? `d${i}` : `f${i}`,
    depth: dir ? 0 : 1,
    type: dir ? 'dir' : 'file',
    size: 0,
    change: 'unchanged',
    childCount: dir ? 49 : 0,
    mode: 0o644,
    uid: 0,
    gid: 0,
    linkTarget: null,
  };
}

function model() {
  const api = fakeApi({
    'tree.rows': ({ offset = 0, limit = PAGE_SIZE }) => ({
      rows: Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, k) => row(offset + k)),
      total: TOTAL,
    }),
  });
  const tree = new TreeModel(api, 0, null);
  const pagesAsked = () => api.calls.filter((c) => c.name === 'tree.rows').map((c) => (c.args as { offset: number }).offset / PAGE_SIZE);
  return { api, tree, pagesAsked };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('TreeModel paging', () => {
  it('fetches the rows in view and the pages ahead in the scroll direction before a row asks', async () => {
    const { tree, pagesAsked } = model();
    await tree.reload();
    // Rows 1,000-1,045 scrolling down: their pages (5) plus two ahead and one behind.
    tree.inView(1000, 1045, 1);
    await settle();
    expect(pagesAsked().sort((a, b) => a - b)).toEqual([0, 4, 5, 6, 7]);
    for (let i = 1000; i <= 1045; i++) expect(tree.cached(i)?.name).toBe(row(i).name);
    expect(tree.cached(7 * PAGE_SIZE + 199)).toBeDefined();
    // Scrolling up from row 3,000: two pages above, one below.
    tree.inView(3000, 3045, -1);
    await settle();
    expect(
      pagesAsked()
        .slice(5)
        .sort((a, b) => a - b),
    ).toEqual([13, 14, 15, 16]);
  });

  it('keeps a bounded cache, never dropping the pages in view', async () => {
    const { tree } = model();
    await tree.reload();
    for (let at = 0; at < 60_000; at += 1000) {
      tree.inView(at, at + 45, 1);
      await settle();
    }
    const cachedPages = Array.from({ length: TOTAL / PAGE_SIZE }, (_, p) => p).filter((p) => tree.cached(p * PAGE_SIZE));
    expect(cachedPages.length).toBeLessThanOrEqual(CACHED_PAGES);
    expect(cachedPages).toContain(59_000 / PAGE_SIZE);
    // The first pages were shown longest ago: dropped, and fetched again when asked.
    expect(tree.cached(0)).toBeUndefined();
    expect(tree.row(0)).toBeUndefined();
    await settle();
    expect(tree.row(0)?.name).toBe('d0');
  });

  it('re-renders rows only for a page of the rows in view', async () => {
    const { tree } = model();
    await tree.reload();
    tree.inView(0, 45, 0);
    await settle();
    const before = tree.version;
    await tree.loadPage(300);
    expect(tree.version).toBe(before);
    // Pages 4-7 arrive; page 5 holds the rows in view.
    tree.inView(1000, 1045, 1);
    await settle();
    expect(tree.version).toBeGreaterThan(before);
  });

  it('collapsing one folder out of "expand all" keeps open the folders of pages already dropped', async () => {
    const { api, tree } = model();
    await tree.expandAll();
    for (let at = 0; at < 40_000; at += 1000) {
      tree.inView(at, at + 45, 1);
      await settle();
    }
    expect(tree.cached(0)).toBeUndefined();
    await tree.setExpanded(row(39_000), false);
    const last = api.calls.at(-1)!.args as { expanded: string[] };
    expect(last.expanded).toContain('/d0');
    expect(last.expanded).toContain('/d38950');
    expect(last.expanded).not.toContain('/d39000');
  });
});
