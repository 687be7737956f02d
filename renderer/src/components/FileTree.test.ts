// Component test with a fake API (canned rows generated on demand); the real engine's tree
// slicing is covered by the engine's own tests and the e2e suite.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { TreeRow } from '../../../shared/model.ts';
import FileTree from './FileTree.svelte';
import { TreeModel } from '../state/tree.svelte.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { installLayoutStub } from '../testing/layout-stub.ts';

const TOTAL = 200_000;

function fileRow(i: number): TreeRow {
  return {
    path: `/data/file-${i}`,
    name: `file-${i}`,
    depth: 1,
    type: 'file',
    size: i,
    change: i % 3 === 0 ? 'added' : 'unchanged',
    childCount: 0,
    mode: 0o644,
    uid: 0,
    gid: 0,
    linkTarget: null,
  };
}

function bigTreeApi() {
  return fakeApi({
    'tree.rows': ({ offset = 0, limit = 100 }) => ({
      rows: Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, k) => fileRow(offset + k)),
      total: TOTAL,
    }),
  });
}

beforeAll(installLayoutStub);
afterEach(cleanup);

describe('FileTree', () => {
  it('keeps only a window of 200k rows in the DOM and moves focus with the keyboard', async () => {
    const api = bigTreeApi();
    const tree = new TreeModel(api, 0, null);
    await tree.reload();
    const opened: string[] = [];
    render(FileTree, { tree, label: 'Files of final', onopen: (row: TreeRow) => opened.push(row.path) });
    const treeEl = screen.getByRole('tree', { name: 'Files of final' });
    const first = await screen.findByRole('treeitem', { name: 'file-0' });
    const count = treeEl.querySelectorAll('[role="treeitem"]').length;
    expect(count).toBeGreaterThan(5);
    expect(count).toBeLessThan(200);
    expect(first.getAttribute('aria-level')).toBe('2');

    first.focus();
    await fireEvent.keyDown(first, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('file-1'));

    await fireEvent.keyDown(document.activeElement!, { key: 'End' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe(`file-${TOTAL - 1}`));
    expect(treeEl.querySelectorAll('[role="treeitem"]').length).toBeLessThan(200);
    expect(screen.queryByRole('treeitem', { name: 'file-0' })).toBeNull();

    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe(`file-${TOTAL - 2}`));
    await fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('file-0'));
    await fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(opened).toEqual(['/data/file-0']);
    // Only the pages in view were ever fetched, never the whole tree.
    const fetched = api.calls.filter((c) => c.name === 'tree.rows').length;
    expect(fetched).toBeLessThan(10);
  });

  it('recycles its row elements: a jump to a far position re-labels the same elements', async () => {
    const tree = new TreeModel(bigTreeApi(), 0, null);
    await tree.reload();
    render(FileTree, { tree, label: 'Files of final' });
    const treeEl = screen.getByRole('tree', { name: 'Files of final' });
    await screen.findByRole('treeitem', { name: 'file-0' });
    const before = [...treeEl.querySelectorAll('.row')];
    for (const at of [150_000, 7, 199_990]) {
      treeEl.scrollTo({ top: at * 24 });
      const row = await screen.findByRole('treeitem', { name: `file-${at}` });
      // Placed where the row is in the whole list, with its own badge and size.
      expect(row.style.transform).toBe(`translateY(${at * 24}px)`);
      expect(row.querySelector('.sr-only')?.textContent).toBe(at % 3 === 0 ? 'added' : '');
      expect(row.querySelector('.size')?.textContent).not.toBe('');
      expect(screen.queryByRole('treeitem', { name: 'file-0' })).toBeNull();
      const after = [...treeEl.querySelectorAll('.row')];
      expect(after).toHaveLength(before.length);
      expect(after.every((el) => before.includes(el))).toBe(true);
    }
  });

  it('keeps keyboard focus on the focused row, not on the element a scroll re-labels', async () => {
    const tree = new TreeModel(bigTreeApi(), 0, null);
    await tree.reload();
    render(FileTree, { tree, label: 'Files of final' });
    const treeEl = screen.getByRole('tree', { name: 'Files of final' });
    const third = await screen.findByRole('treeitem', { name: 'file-2' });
    third.focus();
    await waitFor(() => expect(tree.focused).toBe(2));
    treeEl.scrollTo({ top: 150_000 * 24 });
    await screen.findByRole('treeitem', { name: 'file-150000' });
    // The element that had focus now shows another row: the focus went to the list.
    await waitFor(() => expect(document.activeElement).toBe(treeEl));
    expect(treeEl.querySelectorAll('.row:focus')).toHaveLength(0);
    // Keys still work there, and focus comes back to whichever element shows the row.
    treeEl.scrollTo({ top: 0 });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('file-2'));
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('file-3'));
  });

  it('expands and collapses with Right / Left and walks to the parent', async () => {
    const row = (path: string, type: TreeRow['type'], childCount = 0): TreeRow => ({
      path,
      name: path.split('/').pop()!,
      depth: path.split('/').length - 2,
      type,
      size: 1,
      change: 'unchanged',
      childCount,
      mode: 0o755,
      uid: 0,
      gid: 0,
      linkTarget: null,
    });
    const api = fakeApi({
      'tree.rows': ({ expanded }) => {
        const open = expanded === 'all' || expanded.includes('/a');
        const rows = [row('/a', 'dir', 2), ...(open ? [row('/a/x', 'file'), row('/a/y', 'file')] : []), row('/b', 'file')];
        return { rows, total: rows.length };
      },
    });
    const tree = new TreeModel(api, 0, null);
    await tree.reload();
    render(FileTree, { tree, label: 'Small' });
    const a = await screen.findByRole('treeitem', { name: 'a' });
    expect(a.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByRole('treeitem', { name: 'b' }).getAttribute('aria-expanded')).toBeNull();
    a.focus();
    await fireEvent.keyDown(a, { key: 'ArrowRight' });
    await screen.findByRole('treeitem', { name: 'x' });
    expect(screen.getByRole('treeitem', { name: 'a' }).getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('treeitem', { name: 'x' }).getAttribute('aria-level')).toBe('2');
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('x'));
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('a'));
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    await waitFor(() => expect(screen.queryByRole('treeitem', { name: 'x' })).toBeNull());
    expect(screen.getByRole('treeitem', { name: 'a' }).getAttribute('aria-expanded')).toBe('false');
    expect(screen.getAllByRole('treeitem')).toHaveLength(2);
  });
});

describe('FileTree columns and filter totals', () => {
  it('has column headers, and with details a permission and a uid:gid column as dive shows them', async () => {
    const rows: TreeRow[] = [
      { ...fileRow(1), path: '/bin', name: 'bin', type: 'dir', depth: 0, mode: 0o755, childCount: 1 },
      { ...fileRow(2), path: '/bin/su', name: 'su', depth: 1, mode: 0o4755, uid: 0, gid: 0 },
      { ...fileRow(3), path: '/home/app', name: 'app', depth: 0, mode: 0o700, uid: 1000, gid: 1001 },
    ];
    const api = fakeApi({ 'tree.rows': () => ({ rows, total: rows.length }) });
    const tree = new TreeModel(api, 0, null);
    await tree.reload();
    render(FileTree, { tree, label: 'Files of final', details: true });
    expect(screen.getByText('Name')).toBeTruthy();
    expect(screen.getByText('Permission')).toBeTruthy();
    expect(screen.getByText('UID:GID')).toBeTruthy();
    expect(screen.getByText('Size')).toBeTruthy();
    const su = await screen.findByRole('treeitem', { name: 'su' });
    expect(su.querySelector('.perm')?.textContent).toBe('-rwsr-xr-x');
    expect(screen.getByRole('treeitem', { name: 'bin' }).querySelector('.perm')?.textContent).toBe('drwxr-xr-x');
    expect(screen.getByRole('treeitem', { name: 'app' }).querySelector('.owner')?.textContent).toBe('1000:1001');
  });

  it('says how many entries match the filter and the bytes they hold', async () => {
    const api = fakeApi({
      'tree.rows': ({ filter }) => ({
        rows: [fileRow(12_345)],
        total: 1,
        matches: filter ? { count: 1_234, bytes: 5_600_000 } : undefined,
      }),
    });
    const tree = new TreeModel(api, 0, null);
    tree.filter = '*.so';
    await tree.reload();
    render(FileTree, { tree, label: 'Files of final' });
    expect(screen.getByRole('status', { name: 'Filter matches' }).textContent?.trim()).toBe('1,234 matches · 5.60 MB');
  });
});
