// Component test against a fake API built from canned data; the real transports are covered by e2e.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import StageView from './StageView.svelte';
import { AppState } from '../state/app.svelte.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { installLayoutStub } from '../testing/layout-stub.ts';
import { model, report } from '../testing/fixtures.ts';
import type { RequestArgs } from '../../../shared/api.ts';
import type { TreeRow } from '../../../shared/model.ts';

beforeAll(installLayoutStub);
afterEach(cleanup);

function row(path: string, type: TreeRow['type'], childCount = 0): TreeRow {
  return {
    path,
    name: path.split('/').pop()!,
    depth: path.split('/').length - 2,
    type,
    size: 7,
    change: 'unchanged',
    childCount,
    mode: 0o644,
    uid: 0,
    gid: 0,
    linkTarget: null,
  };
}

function setup() {
  const queries: RequestArgs<'tree.rows'>[] = [];
  const api = fakeApi({
    'tree.rows': (args) => {
      queries.push(args);
      const open = args.expanded === 'all' || args.expanded.includes('/etc');
      const rows = [row('/app', 'file'), row('/etc', 'dir', 2), ...(open ? [row('/etc/hosts', 'file'), row('/etc/motd', 'file')] : [])];
      return { rows, total: rows.length };
    },
    'file.preview': ({ path }) => ({
      meta: { path, type: 'file', size: 7, mode: 0o644, uid: 0, gid: 0, linkTarget: null, hash: null },
      kind: 'text',
      text: 'hi',
      truncated: false,
    }),
  });
  const app = new AppState(api);
  app.model = model;
  app.setReport(report);
  return { app, queries };
}

describe('StageView', () => {
  it('lists layers and asks for the layer tree, sorted and filtered', async () => {
    const { app, queries } = setup();
    render(StageView, { app });
    await screen.findByRole('tree', { name: 'Files of stage-2' });
    await waitFor(() => expect(queries.length).toBeGreaterThan(0));
    expect(queries.at(-1)).toMatchObject({ stage: 2, layer: null, sort: 'name', expanded: [] });

    const layers = screen.getByRole('region', { name: 'Layers' });
    await fireEvent.click(within(layers).getByRole('button', { name: /L7 COPY/ }));
    await waitFor(() => expect(queries.at(-1)).toMatchObject({ layer: 0 }));

    await fireEvent.change(screen.getByLabelText('Sort'), { target: { value: 'size' } });
    await fireEvent.input(screen.getByRole('searchbox', { name: /Filter/ }), { target: { value: '*.conf' } });
    await waitFor(() => expect(queries.at(-1)).toMatchObject({ sort: 'size', filter: '*.conf', layer: 0 }));
  });

  it('asks the engine once for "Expand all": a new total is no new query', async () => {
    const { app, queries } = setup();
    render(StageView, { app });
    await screen.findByRole('treeitem', { name: 'etc' });
    await waitFor(() => expect(queries.length).toBeGreaterThan(0));
    const before = queries.length;
    await fireEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    await screen.findByRole('treeitem', { name: 'hosts' });
    // Longer than the filter's pause: a reload would have come by now.
    await new Promise((r) => setTimeout(r, 400));
    expect(queries.slice(before).map((q) => q.expanded)).toEqual(['all']);
  });

  it('switches a selected layer between its own entries and the image up to it', async () => {
    const { app, queries } = setup();
    render(StageView, { app });
    await screen.findByRole('tree', { name: 'Files of stage-2' });
    expect(screen.queryByRole('radiogroup', { name: 'Layer view' })).toBeNull();
    await fireEvent.click(within(screen.getByRole('region', { name: 'Layers' })).getByRole('button', { name: /L7 COPY/ }));
    await waitFor(() => expect(queries.at(-1)).toMatchObject({ layer: 0, view: 'layer' }));

    const toggle = await screen.findByRole('radiogroup', { name: 'Layer view' });
    expect(within(toggle).getByRole('radio', { name: 'this layer only' })).toHaveProperty('checked', true);
    await fireEvent.click(within(toggle).getByRole('radio', { name: 'image up to this layer' }));
    await waitFor(() => expect(queries.at(-1)).toMatchObject({ layer: 0, view: 'upto' }));
    await fireEvent.click(within(toggle).getByRole('radio', { name: 'this layer only' }));
    await waitFor(() => expect(queries.at(-1)).toMatchObject({ layer: 0, view: 'layer' }));
  });

  it('reveals a file asked for by COPY --from: opens its folders and focuses it', async () => {
    const { app } = setup();
    render(StageView, { app });
    await screen.findByRole('tree', { name: 'Files of stage-2' });
    app.revealFile(2, '/etc/motd');
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('motd'));
    expect(screen.getByRole('treeitem', { name: 'etc' }).getAttribute('aria-expanded')).toBe('true');
    expect(await screen.findByRole('region', { name: 'File preview' })).toBeTruthy();
  });

  it('rounds the efficiency so that waste shows, and counts files with separators', async () => {
    const { app } = setup();
    const efficiency = { score: 0.9996, wastedBytes: 253_000, paths: [] };
    app.setReport({ ...report, stages: report.stages.map((s) => (s.index === 2 ? { ...s, efficiency, fileCount: 12_345 } : s)) });
    render(StageView, { app });
    const layers = await screen.findByRole('region', { name: 'Layers' });
    expect(layers.textContent).toContain('Efficiency 99.96 % · 253 kB wasted');
    expect(layers.textContent).toContain('12,345 files');
  });

  it('opens a file in the preview pane beside the tree without remounting the tree', async () => {
    const { app } = setup();
    render(StageView, { app });
    const tree = await screen.findByRole('tree', { name: 'Files of stage-2' });
    // The preview pane is laid out before any file is opened.
    expect(screen.getByText(/to preview it here/)).toBeTruthy();
    const item = await screen.findByRole('treeitem', { name: 'app' });
    await fireEvent.click(item);
    expect(await screen.findByRole('region', { name: 'File preview' })).toBeTruthy();
    expect(screen.getByRole('tree', { name: 'Files of stage-2' })).toBe(tree);
    expect(screen.getByRole('treeitem', { name: 'app' })).toBe(item);
    expect(item.getAttribute('aria-selected')).toBe('true');
    expect(screen.getAllByRole('separator').map((s) => s.getAttribute('aria-label'))).toEqual([
      'Resize the layers pane',
      'Resize the file preview',
    ]);
  });
});
