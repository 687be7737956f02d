// Component test against a fake API built from canned data; the real transports are covered by e2e.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import DiffView from './DiffView.svelte';
import { AppState } from '../state/app.svelte.ts';
import { fakeApi, heldAnswers, type FakeApi } from '../testing/fakeApi.ts';
import type { DiffSummary, RequestArgs, ResponseTypes } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { tick } from 'svelte';
import { installLayoutStub } from '../testing/layout-stub.ts';
import { model, report, XSS_NAME } from '../testing/fixtures.ts';
import type { ChangeKind, Report, TreeRow } from '../../../shared/model.ts';

beforeAll(installLayoutStub);
afterEach(cleanup);

const twoBuilt: Report = {
  ...report,
  stages: report.stages.map((s) => (s.index === 1 ? { ...s, built: true, image: { id: 'x', size: 1 } } : s)),
};

function row(path: string, change: ChangeKind, size: number, childCount = 0, detail?: string): TreeRow {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const depth = path.split('/').length - 2;
  return {
    path,
    name,
    depth,
    type: childCount ? 'dir' : 'file',
    size,
    change,
    childCount,
    mode: 0,
    uid: 0,
    gid: 0,
    linkTarget: null,
    detail,
  };
}

function summary(counts: Partial<DiffSummary['counts']>, totals: Partial<DiffSummary['totals']> = {}): DiffSummary {
  const c = { added: 0, removed: 0, modified: 0, moved: 0, ...counts };
  const t = { added: 0, removed: 0, modified: 0, ...totals };
  return { counts: c, totals: t, bytesAdded: t.added + Math.max(0, t.modified), bytesRemoved: t.removed, moved: [] };
}

const MB10 = 10 * 1024 * 1024;
/** What the engine pages for these changes (its tree is tested in core/image/diff-rows.test.ts). */
const treeRows = [
  row(`/${XSS_NAME}`, 'added', 1),
  row('/app', 'added', 2048),
  row('/etc', 'unchanged', 20, 1),
  row('/etc/os-release', 'modified', 20),
  row('/usr', 'unchanged', -MB10, 1),
  row('/usr/lib', 'unchanged', -MB10, 1),
  row('/usr/lib/go', 'unchanged', -MB10, 1),
  row('/usr/lib/go/bin', 'unchanged', -MB10, 1),
  row('/usr/lib/go/bin/go', 'removed', -MB10),
];
const listRows = [
  { ...row(`/${XSS_NAME}`, 'added', 1, 0, 'file'), name: `/${XSS_NAME}`, depth: 0 },
  { ...row('/app', 'added', 2048, 0, 'file'), name: '/app', depth: 0 },
  { ...row('/etc/os-release', 'modified', 20, 0, 'content'), name: '/etc/os-release', depth: 0 },
  { ...row('/usr/lib/go/bin/go', 'removed', -MB10, 0, 'file'), name: '/usr/lib/go/bin/go', depth: 0 },
];

/** A fake engine answering diff.rows from canned rows: the kind shown, and only below open folders. */
function diffRows(args: RequestArgs<'diff.rows'>): ResponseTypes['diff.rows'] {
  const shown = (r: TreeRow) => !args.show || args.show === 'all' || r.change === args.show || r.childCount > 0;
  const open = (r: TreeRow) => {
    if (args.expanded === 'all') return true;
    const parts = r.path.split('/').filter(Boolean);
    return parts.slice(0, -1).every((_, i) => (args.expanded as string[]).includes('/' + parts.slice(0, i + 1).join('/')));
  };
  const rows = args.list ? listRows.filter(shown) : treeRows.filter((r) => shown(r) && open(r));
  const page = rows.slice(args.offset ?? 0, (args.offset ?? 0) + (args.limit ?? rows.length));
  return args.filter ? { rows: page, total: rows.length, matches: { count: 1, bytes: -300 } } : { rows: page, total: rows.length };
}

function setup() {
  const api = fakeApi({
    'diff.summary': () => summary({ added: 2, removed: 1, modified: 1 }, { added: 2049, removed: MB10, modified: 20 }),
    'diff.rows': diffRows,
    'diff.file': () => ({ before: 'NAME=golang\nVERSION=1\n', after: 'NAME=final\nVERSION=1\n', binary: false, truncated: false }),
  });
  const app = new AppState(api);
  app.model = model;
  app.setReport(twoBuilt);
  return { api, app };
}

const rowCalls = (api: FakeApi) => api.calls.filter((c) => c.name === 'diff.rows').map((c) => c.args as RequestArgs<'diff.rows'>);

describe('DiffView', () => {
  it('lists only the changes with deltas and totals, and diffs a modified text file side by side', async () => {
    const { api, app } = setup();
    render(DiffView, { app });
    expect(app.diffA).toBe(0);
    expect(app.diffB).toBe(2);
    await fireEvent.click(await screen.findByLabelText('list'));
    const list = await screen.findByRole('list', { name: 'Changed files' });
    const items = await within(list).findAllByRole('button');
    expect(items.map((b) => b.getAttribute('aria-label'))).toEqual([
      `added /${XSS_NAME}`,
      'added /app',
      'modified /etc/os-release',
      'removed /usr/lib/go/bin/go',
    ]);
    expect(items[1].textContent).toContain('+2.05 kB');
    // The list is paged by the engine, like the tree: the changes never arrive whole.
    expect(rowCalls(api).at(-1)).toMatchObject({ a: { stage: 0 }, b: { stage: 2 }, show: 'all', list: true, offset: 0, limit: 200 });
    expect(items[3].textContent).toContain('\u221210.5 MB');
    const totals = screen.getByLabelText('Diff totals').textContent!;
    // Each byte total matches its count: the 2 added files, not the growth of the modified one.
    expect(totals).toContain('2 added (+2.05 kB)');
    expect(totals).toContain('1 removed (\u221210.5 MB)');
    expect(totals).toContain('1 modified (+20 B)');
    // The hostile name is text, not markup.
    expect(list.querySelector('img')).toBeNull();

    await fireEvent.click(items[2]);
    const diff = await screen.findByRole('table', { name: /Text diff: builder against stage-2/ });
    const rows = within(diff).getAllByRole('row');
    expect(rows[1].textContent).toContain('NAME=golang');
    expect(rows[1].textContent).toContain('NAME=final');
    expect(rows[1].classList.contains('changed')).toBe(true);
    expect(rows[2].classList.contains('same')).toBe(true);
    expect(api.calls.find((c) => c.name === 'diff.file')?.args).toEqual({ a: 0, b: 2, path: '/etc/os-release' });
  });

  it('filters by kind in the engine', async () => {
    const { api, app } = setup();
    render(DiffView, { app });
    await fireEvent.click(await screen.findByLabelText('list'));
    await screen.findByRole('list', { name: 'Changed files' });
    await fireEvent.click(screen.getByLabelText('removed'));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Changed files' })).getAllByRole('button')).toHaveLength(1));
    const items = within(screen.getByRole('list', { name: 'Changed files' })).getAllByRole('button');
    expect(items[0].getAttribute('aria-label')).toBe('removed /usr/lib/go/bin/go');
    expect(rowCalls(api).at(-1)).toMatchObject({ show: 'removed', list: true });
  });

  it('shows the changes as a tree with folder deltas; a modified file opens its text diff', async () => {
    const { app } = setup();
    render(DiffView, { app });
    const tree = await screen.findByRole('tree', { name: 'Changed files' });
    const usr = await within(tree).findByRole('treeitem', { name: 'usr' });
    expect(usr.getAttribute('aria-expanded')).toBe('true');
    expect(usr.textContent).toContain('\u221210.5 MB');
    // /usr/lib/go/bin/go: the folder and the removed file both show.
    expect(
      within(tree)
        .getAllByRole('treeitem', { name: 'go' })
        .map((e) => e.getAttribute('aria-level')),
    ).toEqual(['3', '5']);
    expect(within(tree).getByRole('treeitem', { name: XSS_NAME }).textContent).toContain('added');
    await fireEvent.click(within(tree).getByRole('treeitem', { name: 'os-release' }));
    expect(await screen.findByRole('table', { name: /Text diff/ })).toBeTruthy();
    await fireEvent.click(usr);
    await waitFor(() => expect(within(tree).queryByRole('treeitem', { name: 'lib' })).toBeNull());
  });

  it("clicking file A then B shows B's text diff even when A's answer arrives last", async () => {
    const held = heldAnswers<{ path: string }, ResponseTypes['diff.file']>();
    const twoModified = [row('/a.txt', 'modified', 1), row('/b.txt', 'modified', 1)].map((r) => ({
      ...r,
      name: r.path,
      detail: 'content',
    }));
    const app = new AppState(
      fakeApi({
        'diff.summary': () => summary({ modified: 2 }, { modified: 2 }),
        'diff.rows': () => ({ rows: twoModified, total: 2 }),
        'diff.file': held.handler,
      }),
    );
    app.model = model;
    app.setReport(twoBuilt);
    render(DiffView, { app });
    await fireEvent.click(await screen.findByLabelText('list'));
    const list = await screen.findByRole('list', { name: 'Changed files' });
    await fireEvent.click(await within(list).findByRole('button', { name: 'modified /a.txt' }));
    await fireEvent.click(within(list).getByRole('button', { name: 'modified /b.txt' }));
    expect(held.calls.map((c) => c.args.path)).toEqual(['/a.txt', '/b.txt']);
    held.calls[1].resolve({ before: 'b-before\n', after: 'b-after\n', binary: false, truncated: false });
    await screen.findByText('b-after');
    held.calls[0].resolve({ before: 'a-before\n', after: 'a-after\n', binary: false, truncated: false });
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByText('a-after')).toBeNull();
    expect(screen.getByText('b-after')).toBeTruthy();
    expect(screen.getByRole('heading', { name: '/b.txt' })).toBeTruthy();
  });

  it('new sides: an error for the previous sides arriving after the new result is dropped', async () => {
    const held = heldAnswers<RequestArgs<'diff.summary'>, DiffSummary>();
    const app = new AppState(fakeApi({ 'diff.summary': held.handler, 'diff.rows': diffRows }));
    app.model = model;
    app.setReport(twoBuilt);
    render(DiffView, { app });
    await waitFor(() => expect(held.calls).toHaveLength(1));
    app.diffA = 1;
    await tick();
    expect(held.calls.map((c) => c.args)).toEqual([
      { a: { stage: 0 }, b: { stage: 2 } },
      { a: { stage: 1 }, b: { stage: 2 } },
    ]);
    held.calls[1].resolve(summary({ added: 1 }, { added: 3 }));
    expect((await screen.findByLabelText('Diff totals')).textContent).toContain('1 added');
    held.calls[0].reject(new StageScopeError('not-found', 'Stage builder was not built.'));
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByLabelText('Diff totals').textContent).toContain('1 added');
  });

  it('big diffs start with top folders collapsed; the filter runs in the engine and shows its matches', async () => {
    const { api, app } = setup();
    const big = summary({ removed: 250 }, { removed: 250 });
    api.request = ((orig) => (name, args) => (name === 'diff.summary' ? Promise.resolve(big as never) : orig(name, args)))(api.request);
    render(DiffView, { app });
    const tree = await screen.findByRole('tree', { name: 'Changed files' });
    await within(tree).findByRole('treeitem', { name: 'usr' });
    expect(rowCalls(api)[0]).toMatchObject({ expanded: [], show: 'all' });
    expect(within(tree).queryByRole('treeitem', { name: 'lib' })).toBeNull();

    await fireEvent.input(screen.getByRole('searchbox', { name: 'Filter changed files' }), { target: { value: 'gofmt' } });
    await waitFor(() => expect(rowCalls(api).at(-1)).toMatchObject({ filter: 'gofmt', offset: 0 }));
    expect((await screen.findByRole('status', { name: 'Filter matches' })).textContent).toContain('1 match · \u2212300 B');
  });

  it('says so when nothing differs, without asking for rows', async () => {
    const api = fakeApi({ 'diff.summary': () => summary({}), 'diff.rows': diffRows });
    const app = new AppState(api);
    app.model = model;
    app.setReport(twoBuilt);
    render(DiffView, { app });
    await screen.findByText('No differences.');
    expect(rowCalls(api)).toEqual([]);
  });

  it('an engine error for the rows shows in place of the changed files', async () => {
    const api = fakeApi({
      'diff.summary': () => summary({ added: 1 }, { added: 1 }),
      'diff.rows': () => {
        throw new StageScopeError('usage', 'The filter took too long on this tree.', 'Use a shorter filter or fewer wildcards.');
      },
    });
    const app = new AppState(api);
    app.model = model;
    app.setReport(twoBuilt);
    render(DiffView, { app });
    expect((await screen.findByRole('alert')).textContent).toContain('The filter took too long on this tree.');
  });
});
