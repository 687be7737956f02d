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
