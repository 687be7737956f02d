// Component test against a fake API built from canned data; the real transports are covered by e2e.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import GraphView from './GraphView.svelte';
import { AppState } from '../state/app.svelte.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { model, plan, report } from '../testing/fixtures.ts';

afterEach(cleanup);

function appWith(withReport: boolean) {
  const app = new AppState(fakeApi({}));
  app.model = model;
  app.plan = plan;
  if (withReport) app.setReport(report);
  return app;
}

describe('GraphView', () => {
  it('draws a node per stage plus the external image, marks the closure and the unneeded stage', () => {
    render(GraphView, { app: appWith(true) });
    const builder = screen.getByRole('button', { name: 'builder' });
    const debug = screen.getByRole('button', { name: 'debug' });
    const final = screen.getByRole('button', { name: 'stage-2' });
    expect(within(screen.getByRole('group', { name: 'Stages and their dependencies' })).getAllByRole('button')).toHaveLength(3);
    expect(screen.getByText('stagescope-test/golang:1.24')).toBeTruthy();
    expect(builder.getAttribute('data-needed')).toBe('true');
    expect(final.getAttribute('data-needed')).toBe('true');
    expect(final.classList.contains('target')).toBe(true);
    expect(debug.getAttribute('data-needed')).toBe('false');
    expect(debug.classList.contains('unneeded')).toBe(true);
    expect(debug.textContent).toContain('not needed');
    expect(builder.textContent).not.toContain('not needed');
    // State and size on each node.
    expect(builder.getAttribute('data-state')).toBe('built');
    expect(builder.textContent).toContain('315 MB');
    expect(debug.getAttribute('data-state')).toBe('not built');
    // Three edge kinds get distinct classes (dash styles) and a legend.
    expect(document.querySelectorAll('path.edge.from')).toHaveLength(2);
    expect(document.querySelectorAll('path.edge.copy')).toHaveLength(1);
    expect(screen.getByRole('list', { name: 'Legend' }).textContent).toContain('COPY --from');
  });

  it('selects a stage by click and by keyboard', async () => {
    const app = appWith(true);
    render(GraphView, { app });
    expect(app.selectedStage).toBe(2);
    await fireEvent.click(screen.getByRole('button', { name: 'builder' }));
    expect(app.selectedStage).toBe(0);
    expect(screen.getByRole('button', { name: 'builder' }).getAttribute('aria-pressed')).toBe('true');
    const debug = screen.getByRole('button', { name: 'debug' });
    expect(debug.getAttribute('tabindex')).toBe('0');
    await fireEvent.keyDown(debug, { key: 'Enter' });
    expect(app.selectedStage).toBe(1);
    await fireEvent.keyDown(screen.getByRole('button', { name: 'stage-2' }), { key: ' ' });
    expect(app.selectedStage).toBe(2);
  });

  it('uses the parse plan for the closure before any build', () => {
    render(GraphView, { app: appWith(false) });
    expect(screen.getByRole('button', { name: 'debug' }).textContent).toContain('not needed');
    expect(screen.getByRole('button', { name: 'builder' }).getAttribute('data-state')).toBe('not built');
  });

  it('a click opens the stage in the Stage tab, but sets a diff side in Diff', async () => {
    const app = appWith(true);
    render(GraphView, { app });
    app.tab = 'sizes';
    await fireEvent.click(screen.getByRole('button', { name: 'builder' }));
    expect([app.tab, app.selectedStage]).toEqual(['stage', 0]);
    app.tab = 'diff';
    app.diffA = 0;
    app.diffB = 2;
    await fireEvent.click(screen.getByRole('button', { name: 'debug' }));
    expect([app.tab, app.diffA, app.diffB, app.selectedStage]).toEqual(['diff', 0, 1, 0]);
    await fireEvent.click(screen.getByRole('button', { name: 'stage-2' }), { shiftKey: true });
    expect([app.diffA, app.diffB]).toEqual([2, 1]);
    // The other side's stage: the sides swap.
    await fireEvent.click(screen.getByRole('button', { name: 'stage-2' }));
    expect([app.diffA, app.diffB]).toEqual([1, 2]);
  });

  it('zooms with the buttons and the keys and fits again', async () => {
    render(GraphView, { app: appWith(true) });
    const zoom = () => document.querySelector('.zoom')!.textContent;
    expect(zoom()).toBe('100 %');
    await fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(zoom()).toBe('80 %');
    await fireEvent.keyDown(screen.getByRole('button', { name: 'builder' }), { key: '-' });
    expect(zoom()).toBe('64 %');
    await fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(zoom()).toBe('80 %');
    await fireEvent.click(screen.getByRole('button', { name: 'Fit' }));
    expect(zoom()).toBe('100 %');
    // Text never shrinks with the boxes: at 80 % a node shows two lines of 12-13 px text.
    await fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    const builder = screen.getByRole('button', { name: 'builder' });
    expect(builder.getAttribute('data-lines')).toBe('2');
    expect(Number(builder.querySelector('rect')!.getAttribute('height'))).toBeCloseTo(58 * 0.8);
    expect(builder.textContent).toContain('built');
  });
});
