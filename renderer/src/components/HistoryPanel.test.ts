// The History panel, the "changes since last build" filter, the graph's delta badges and the
// Diff view's snapshot picker, against a fake API with canned history (issue 11).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import HistoryPanel from './HistoryPanel.svelte';
import SinceLastBuild from './SinceLastBuild.svelte';
import GraphView from '../views/GraphView.svelte';
import DiffView from '../views/DiffView.svelte';
import { AppState } from '../state/app.svelte.ts';
import { HistoryState } from '../state/history.svelte.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { installLayoutStub } from '../testing/layout-stub.ts';
import { model, plan, report, XSS_NAME } from '../testing/fixtures.ts';
import { BASELINE_ID, compare, snapshots, why } from '../testing/history-fixtures.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import type { Report } from '../../../shared/model.ts';

beforeAll(installLayoutStub);
afterEach(cleanup);

function setup(opts: { noBaseline?: boolean; report?: Report } = {}) {
  const api = fakeApi({
    'history.list': () => snapshots,
    'history.compare': () => {
      if (opts.noBaseline) throw new StageScopeError('not-found', 'There is no earlier snapshot.', null);
      return compare;
    },
    'lineage.why': () => why,
    'diff.summary': (args) => ({
      counts: { added: 0, removed: 0, modified: 0, moved: 'snapshot' in args.a && args.a.snapshot ? 1 : 0 },
      totals: { added: 0, removed: 0, modified: 0 },
      bytesAdded: 0,
      bytesRemoved: 0,
      moved: 'snapshot' in args.a && args.a.snapshot ? [{ from: '/usr/bin/app', to: '/app', size: 5 }] : [],
    }),
    'diff.rows': () => ({ rows: [], total: 0 }),
  });
  const app = new AppState(api);
  app.model = model;
  app.plan = plan;
  app.setReport(opts.report ?? report);
  return { api, app };
}

describe('HistoryPanel', () => {
  it('lists the steps origin first, shows the COPY --from source, and links each step to its stage and layer', async () => {
    const { app, api } = setup();
    render(HistoryPanel, { app, stage: 2, path: '/app' });
    const steps = await screen.findAllByRole('button', { name: /added in/ });
    expect(steps.map((b) => b.getAttribute('aria-label'))).toEqual([
      'added in builder, layer 4, line 2',
      'added in stage-2, layer 1, line 7',
    ]);
    expect(screen.getByText('/out/app')).toBeTruthy();
    expect(api.calls.find((c) => c.name === 'lineage.why')?.args).toEqual({ stage: 2, path: '/app' });
    await fireEvent.click(steps[0]);
    expect([app.selectedStage, app.selectedLayer]).toEqual([0, 3]);
  });
});

describe('changes since last build', () => {
  it('lists what changed in the stage with the line, names as text, moves as moves', async () => {
    const { app } = setup();
    render(SinceLastBuild, { app, stage: 2 });
    const region = await screen.findByRole('region', { name: 'Changes since last build' });
    await waitFor(() => expect(within(region).getAllByRole('listitem')).toHaveLength(3));
    expect(within(region).getByRole('button', { name: `/${XSS_NAME}` })).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    expect(region.textContent).toContain('from /usr/bin/app');
    expect(region.textContent).toContain('L7');
    await fireEvent.click(within(region).getByRole('button', { name: '/old.txt' }));
    expect(app.preview).toEqual({ stage: 2, path: '/old.txt' });
  });

  it('says so when there is no earlier build', async () => {
    const { app } = setup({ noBaseline: true });
    render(SinceLastBuild, { app, stage: 2 });
    expect(await screen.findByText('No earlier build of this Dockerfile to compare with.')).toBeTruthy();
  });
});

describe('graph delta badges', () => {
  it('shows each stage’s size change since the baseline, and none without a baseline', async () => {
    const { app } = setup();
    render(GraphView, { app });
    await waitFor(() => expect(document.querySelectorAll('text.delta')).toHaveLength(2));
    const builder = screen.getByRole('button', { name: 'builder' });
    expect(builder.querySelector('text.delta')?.getAttribute('data-delta')).toBe('1000000');
    expect(builder.querySelector('text.delta.grew')?.textContent).toContain('+1.00 MB');
    expect(screen.getByRole('button', { name: 'stage-2' }).querySelector('text.delta.shrank')?.textContent).toContain('\u221210.0 kB');
    expect(screen.getByRole('button', { name: 'debug' }).querySelector('text.delta')).toBeNull();
    cleanup();
    const { app: first } = setup({ noBaseline: true });
    render(GraphView, { app: first });
    await waitFor(() => expect(first.api).toBeTruthy());
    await new Promise((r) => setTimeout(r, 20));
    expect(document.querySelectorAll('text.delta')).toHaveLength(0);
  });
});

describe('Diff snapshot picker', () => {
  it('puts a snapshot on one side and asks for its diff, then back to now', async () => {
    const { app, api } = setup();
    const lastDiff = () => api.calls.filter((c) => c.name === 'diff.summary').at(-1);
    render(DiffView, { app });
    const from = await screen.findByRole('combobox', { name: 'Diff from source' });
    await waitFor(() =>
      expect(
        within(from)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['now', HistoryState.when('2026-12-01T10:42:00.000Z')]),
    );
    await fireEvent.change(from, { target: { value: BASELINE_ID } });
    await waitFor(() =>
      expect(lastDiff()).toEqual({
        name: 'diff.summary',
        args: { a: { stage: app.diffA, snapshot: BASELINE_ID }, b: { stage: app.diffB } },
      }),
    );
    expect(await screen.findByText(/1 moved/)).toBeTruthy();
    await fireEvent.change(from, { target: { value: '' } });
    await waitFor(() => expect(lastDiff()?.args).toEqual({ a: { stage: app.diffA }, b: { stage: app.diffB } }));
    await fireEvent.click(screen.getByRole('checkbox', { name: 'ignore owner, mode, link' }));
    await waitFor(() =>
      expect(lastDiff()).toEqual({
        name: 'diff.summary',
        args: { a: { stage: app.diffA }, b: { stage: app.diffB }, ignore: ['owner', 'mode', 'link'] },
      }),
    );
  });

  it('names snapshots by day and time', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    expect(HistoryState.when('2026-12-02T09:05:00Z', now)).toBe('today 09:05');
    expect(HistoryState.when('2026-12-01T10:42:00Z', now)).toBe('yesterday 10:42');
    expect(HistoryState.when('2026-11-20T10:42:00Z', now)).toBe('2026-11-20 10:42');
  });
});
