// Component test against a fake API built from canned data; the real transports are covered by e2e.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import CopiesView from './CopiesView.svelte';
import { AppState } from '../state/app.svelte.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { model, report, XSS_NAME } from '../testing/fixtures.ts';

afterEach(cleanup);

describe('CopiesView', () => {
  it('lists each COPY --from with its files, and a click reveals the file in the destination or source stage', async () => {
    const app = new AppState(fakeApi({}));
    app.model = model;
    app.setReport(report);
    app.tab = 'copies';
    render(CopiesView, { app });
    const region = screen.getByRole('region', { name: 'COPY --from' });
    expect(region.textContent).toContain('Line 7');
    expect(region.textContent).toContain('from stage builder');
    const rows = within(region).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('✓ identical');
    expect(rows[1].textContent).toContain('✗ differs');
    expect(rows[1].textContent).toContain(XSS_NAME);
    expect(region.querySelector('img')).toBeNull();

    await fireEvent.click(within(rows[0]).getByRole('button', { name: '/app' }));
    expect(app.tab).toBe('stage');
    expect(app.selectedStage).toBe(2);
    expect(app.reveal).toMatchObject({ stage: 2, path: '/app' });
    expect(app.preview).toEqual({ stage: 2, path: '/app' });

    await fireEvent.click(within(rows[0]).getByRole('button', { name: '/out/app' }));
    expect(app.selectedStage).toBe(0);
    expect(app.reveal).toMatchObject({ stage: 0, path: '/out/app' });
  });

  it('with a target that is not the last stage, says the target has none and which unbuilt stage has some', () => {
    const app = new AppState(fakeApi({}));
    app.model = model;
    // `--target builder`: only the builder was built; the final stage's COPY --from was not.
    app.setReport({
      ...report,
      target: 'builder',
      targetIndex: 0,
      copies: [],
      stages: report.stages.map((s) => (s.index === 0 ? s : { ...s, built: false, image: null, needed: false })),
    });
    render(CopiesView, { app });
    const region = screen.getByRole('region', { name: 'COPY --from' });
    expect(region.textContent).not.toContain('This Dockerfile has no COPY --from');
    expect(region.textContent).toContain('The target builder includes no COPY --from; stage-2 (not built) has 1.');
  });

  it('after a failure, says why the COPY --from of a stage is missing, with a link to the failure', async () => {
    const app = new AppState(fakeApi({}));
    app.model = model;
    const failure = { stage: 0, stageName: 'builder', instruction: 'RUN go build', line: 2, message: 'exit code: 1', logs: [] };
    app.setReport({
      ...report,
      copies: [],
      stages: report.stages.map((s) => ({ ...s, built: false, image: null, failure: s.index === 0 ? failure : null })),
    });
    render(CopiesView, { app });
    const note = screen.getByRole('note');
    expect(note.textContent).toContain('The COPY --from of stage-2 is not available: it needs stage builder, which failed at line 2.');
    await fireEvent.click(within(note).getByRole('button', { name: 'Show the failure' }));
    expect(app.tab).toBe('build');
  });

  it("says so in plain text when a file's source path was not resolved and it was matched by content", () => {
    const app = new AppState(fakeApi({}));
    app.model = model;
    const copy = report.copies[0];
    app.setReport({
      ...report,
      copies: [
        {
          ...copy,
          files: [
            { path: '/app/lib/a.jar', sourcePath: '/root/.m2/a.jar', sourceResolved: false, size: 3, identical: true },
            { path: '/app/lib/b.jar', sourcePath: null, sourceResolved: false, size: 4, identical: false },
          ],
        },
      ],
    });
    render(CopiesView, { app });
    const rows = within(screen.getByRole('region', { name: 'COPY --from' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows[0].textContent).toContain('source path not resolved: matched by content (/root/.m2/a.jar)');
    // A guess is not offered as a link into the source stage.
    expect(within(rows[0]).queryByRole('button', { name: '/root/.m2/a.jar' })).toBeNull();
    expect(rows[1].textContent).toContain('source path not resolved: no file with the same content');
  });
});
