// Component test against a fake API built from canned data; the real transports are covered by e2e.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import SizesView from './SizesView.svelte';
import { AppState } from '../state/app.svelte.ts';
import { fakeApi, heldAnswers } from '../testing/fakeApi.ts';
import type { TreemapNode } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { model, report } from '../testing/fixtures.ts';

afterEach(cleanup);

describe('SizesView', () => {
  it('gives the chart an accessible name and a table with every size, plus the treemap', async () => {
    const api = fakeApi({
      'sizes.treemap': () => ({
        name: '/',
        path: '/',
        size: 2 * 1024 * 1024 + 100,
        children: [
          { name: 'app', path: '/app', size: 2 * 1024 * 1024 },
          { name: 'etc', path: '/etc', size: 100, children: [{ name: 'passwd', path: '/etc/passwd', size: 100 }] },
        ],
      }),
    });
    const app = new AppState(api);
    app.model = model;
    app.setReport(report);
    render(SizesView, { app });

    const chart = screen.getByRole('img', { name: /Image size per stage/ });
    const name = chart.getAttribute('aria-label')!;
    expect(name).toContain('builder 315 MB');
    expect(name).toContain('stage-2 2.10 MB');
    // Only built stages have bars.
    expect(name).not.toContain('debug');

    const table = screen.getByRole('table', { name: /Image size per stage/ });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.textContent);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('builder');
    expect(rows[0]).toContain('315 MB');
    expect(rows[0]).toContain('builder');
    expect(rows[1]).toContain('final');
    expect(rows[1]).toContain('2,097,152');
    // The saving as a share of the builder, then in bytes.
    expect(screen.getByText('\u221299.3 %, 312 MB saved')).toBeTruthy();
    // A legend says what the bar colors mean.
    const legend = screen.getByRole('list', { name: 'Bar colors' });
    expect(legend.textContent).toContain('final image');
    expect(legend.textContent).toContain('builder (the final image uses it)');

    // Two files: a list with sizes and shares, not a treemap of one rectangle and a sliver.
    const few = await screen.findByRole('list', { name: 'Largest entries of stage-2' });
    expect(
      within(few)
        .getAllByRole('button')
        .map((b) => b.textContent?.replace(/\s+/g, ' ').trim()),
    ).toEqual(['/app 2.10 MB · 99.995 %', '/etc/passwd 100 B · 0.005 %']);
    expect(screen.queryByRole('group', { name: /Treemap of/ })).toBeNull();
    expect(api.calls.find((c) => c.name === 'sizes.treemap')?.args).toEqual({ stage: 2, depth: 3 });
  });

  it('names the stages that feed the builders as such, and opens a treemap rectangle in the tree', async () => {
    const dirs = ['usr', 'etc', 'var', 'opt', 'srv'].map((d, i) => ({
      name: d,
      path: `/${d}`,
      size: (i + 1) * 1000,
      dir: true,
      children: [{ name: 'f', path: `/${d}/f`, size: (i + 1) * 1000 }],
    }));
    const app = new AppState(fakeApi({ 'sizes.treemap': () => ({ name: '/', path: '/', size: 15_000, dir: true, children: dirs }) }));
    app.model = model;
    // final <- debug <- builder: builder feeds the builder debug.
    const built = (i: number, dependsOn: number[]) => ({
      ...report.stages[i],
      built: true,
      image: { id: `i${i}`, size: 1000 * (i + 1) },
      dependsOn,
    });
    app.setReport({ ...report, stages: [built(0, []), built(1, [0]), built(2, [1])] });
    render(SizesView, { app });
    const rows = within(screen.getByRole('table', { name: /Image size per stage/ }))
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((c) => c.textContent));
    expect(rows).toEqual([
      ['builder', 'feeds a builder'],
      ['debug', 'builder (the final image uses it)'],
      ['stage-2', 'final image'],
    ]);
    const treemap = await screen.findByRole('group', { name: 'Treemap of stage-2 by directory' });
    await fireEvent.click(within(treemap).getByRole('button', { name: '/srv/f: 5.00 kB' }));
    expect(app.tab).toBe('stage');
    expect(app.reveal).toMatchObject({ stage: 2, path: '/srv/f' });
    expect(app.preview).toEqual({ stage: 2, path: '/srv/f' });
  });

  it('after a failed build: no final image and why, with a link to the failure; no "0 B", no endless "Loading…"', async () => {
    const api = fakeApi({});
    const app = new AppState(api);
    app.model = model;
    const failure = {
      stage: 2,
      stageName: null,
      instruction: 'COPY --from=builder /out/app /app',
      line: 7,
      message: 'not found',
      logs: [],
    };
    app.setReport({
      ...report,
      stages: report.stages.map((s) => (s.index === 2 ? { ...s, built: false, image: null, failure } : s)),
      // The engine may say 0 (or null) for a final image that does not exist.
      sizes: { ...report.sizes, final: 0, saved: null },
    });
    render(SizesView, { app });
    const note = screen.getByRole('note');
    expect(note.textContent).toContain('No final image: stage-2 is not available (stage-2 failed at line 7).');
    expect(screen.queryByText(/Loading/)).toBeNull();
    expect(screen.queryByText(/Final image/)).toBeNull();
    // The stage that built is still shown.
    expect(screen.getByRole('img', { name: /Image size per stage/ }).getAttribute('aria-label')).toContain('builder 315 MB');
    expect(api.calls.some((c) => c.name === 'sizes.treemap')).toBe(false);
    await fireEvent.click(within(note).getByRole('button', { name: 'Show the failure' }));
    expect(app.tab).toBe('build');
  });

  it('says there is no final image when the target was not built, and shows no saving', () => {
    const app = new AppState(fakeApi({}));
    app.model = model;
    const failed = {
      ...report,
      stages: report.stages.map((s) => (s.index === report.targetIndex ? { ...s, built: false, image: null } : s)),
      sizes: { final: null, largestBuilder: report.sizes.largestBuilder, saved: null },
    };
    app.setReport(failed);
    render(SizesView, { app });
    expect(screen.getByRole('note').textContent).toMatch(/No final image: stage-2 is not available/);
    expect(screen.queryByText(/saved$/)).toBeNull();
  });

  it('says the final image is larger when saved is negative', () => {
    const app = new AppState(fakeApi({ 'sizes.treemap': () => ({ name: '/', path: '/', size: 1 }) }));
    app.model = model;
    app.setReport({ ...report, sizes: { final: 400_000_000, largestBuilder: { stage: 0, size: 315_000_000 }, saved: -85_000_000 } });
    render(SizesView, { app });
    expect(screen.getByText(/the final image is 85.0 MB larger: nothing saved/)).toBeTruthy();
  });

  it("a new build's treemap wins: the answer (or error) for the previous report arriving later is dropped", async () => {
    const held = heldAnswers<{ stage: number }, TreemapNode>();
    const app = new AppState(fakeApi({ 'sizes.treemap': held.handler }));
    app.model = model;
    app.setReport(report);
    render(SizesView, { app });
    app.setReport({ ...report });
    await waitFor(() => expect(held.calls).toHaveLength(2));
    const node = (names: string[]): TreemapNode => ({
      name: '/',
      path: '/',
      size: names.length,
      children: names.map((n) => ({ name: n, path: `/${n}`, size: 1 })),
    });
    const fresh = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
    held.calls[1].resolve(node(fresh));
    const treemap = await screen.findByRole('group', { name: /Treemap of stage-2/ });
    expect(within(treemap).getAllByRole('button').length).toBe(fresh.length);
    held.calls[0].resolve(node(['old']));
    held.calls[0].reject(new StageScopeError('not-found', 'Stage stage-2 was not built.'));
    await new Promise((r) => setTimeout(r, 10));
    expect(within(screen.getByRole('group', { name: /Treemap of stage-2/ })).getAllByRole('button').length).toBe(fresh.length);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('an error for the previous report arriving after the new treemap does not replace it', async () => {
    const held = heldAnswers<{ stage: number }, TreemapNode>();
    const app = new AppState(fakeApi({ 'sizes.treemap': held.handler }));
    app.model = model;
    app.setReport(report);
    render(SizesView, { app });
    app.setReport({ ...report });
    await waitFor(() => expect(held.calls).toHaveLength(2));
    held.calls[1].resolve({ name: '/', path: '/', size: 1, children: [{ name: 'a', path: '/a', size: 1 }] });
    await screen.findByRole('list', { name: /Largest entries of stage-2/ });
    held.calls[0].reject(new StageScopeError('not-found', 'Stage stage-2 was not built.'));
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('list', { name: /Largest entries of stage-2/ })).toBeTruthy();
  });
});
