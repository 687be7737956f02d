// Component test against a fake API built from canned data; the real transports are covered by e2e.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import DiffView from './DiffView.svelte';
import { AppState } from '../state/app.svelte.ts';
import { fakeApi, heldAnswers } from '../testing/fakeApi.ts';
import type { ResponseTypes } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { tick } from 'svelte';
import { installLayoutStub } from '../testing/layout-stub.ts';
import { model, report, XSS_NAME } from '../testing/fixtures.ts';
import type { DiffResult, Report } from '../../../shared/model.ts';

beforeAll(installLayoutStub);
afterEach(cleanup);

const twoBuilt: Report = {
  ...report,
  stages: report.stages.map((s) => (s.index === 1 ? { ...s, built: true, image: { id: 'x', size: 1 } } : s)),
};

function setup() {
  const api = fakeApi({
    'diff.stages': () => ({
      added: [
        { path: '/app', size: 2048, type: 'file' },
        { path: `/${XSS_NAME}`, size: 1, type: 'file' },
      ],
      removed: [{ path: '/usr/lib/go/bin/go', size: 10 * 1024 * 1024, type: 'file' }],
      modified: [{ path: '/etc/os-release', before: 100, after: 120, reasons: ['content'] }],
      // The engine's bytesAdded also holds the modified file's growth (+20 B).
      bytesAdded: 2069,
      bytesRemoved: 10 * 1024 * 1024,
    }),
    'diff.file': () => ({ before: 'NAME=golang\nVERSION=1\n', after: 'NAME=final\nVERSION=1\n', binary: false, truncated: false }),
  });
  const app = new AppState(api);
  app.model = model;
  app.setReport(twoBuilt);
  return { api, app };
}

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

  it('filters by kind', async () => {
    const { app } = setup();
    render(DiffView, { app });
    await fireEvent.click(await screen.findByLabelText('list'));
    await screen.findByRole('list', { name: 'Changed files' });
    await fireEvent.click(screen.getByLabelText('removed'));
    const items = within(screen.getByRole('list', { name: 'Changed files' })).getAllByRole('button');
    expect(items).toHaveLength(1);
    expect(items[0].getAttribute('aria-label')).toBe('removed /usr/lib/go/bin/go');
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
    const twoModified: DiffResult = {
      added: [],
      removed: [],
      modified: [
        { path: '/a.txt', before: 1, after: 2, reasons: ['content'] },
        { path: '/b.txt', before: 1, after: 2, reasons: ['content'] },
      ],
      bytesAdded: 0,
      bytesRemoved: 0,
    };
    const app = new AppState(fakeApi({ 'diff.stages': () => twoModified, 'diff.file': held.handler }));
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
    const held = heldAnswers<{ a: number; b: number }, DiffResult>();
    const app = new AppState(fakeApi({ 'diff.stages': held.handler }));
    app.model = model;
    app.setReport(twoBuilt);
    render(DiffView, { app });
    await waitFor(() => expect(held.calls).toHaveLength(1));
    app.diffA = 1;
    await tick();
    expect(held.calls.map((c) => c.args)).toEqual([
      { a: 0, b: 2 },
      { a: 1, b: 2 },
    ]);
    held.calls[1].resolve({ added: [{ path: '/new', size: 3, type: 'file' }], removed: [], modified: [], bytesAdded: 3, bytesRemoved: 0 });
    expect((await screen.findByLabelText('Diff totals')).textContent).toContain('1 added');
    held.calls[0].reject(new StageScopeError('not-found', 'Stage builder was not built.'));
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByLabelText('Diff totals').textContent).toContain('1 added');
  });
});
