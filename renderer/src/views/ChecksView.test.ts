// Component test of the Checks view and the graph's check badges, against a fake API.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import ChecksView from './ChecksView.svelte';
import GraphView from './GraphView.svelte';
import { AppState } from '../state/app.svelte.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { model, report, XSS_NAME } from '../testing/fixtures.ts';
import type { CheckReport } from '../../../shared/check.ts';
import { StageScopeError } from '../../../shared/errors.ts';

afterEach(cleanup);

const checks: CheckReport = {
  status: 'fail',
  dockerfile: '/p/Dockerfile',
  dockerfilePath: 'Dockerfile',
  target: 'stage-2',
  targetIndex: 2,
  config: '.stagescope.yml',
  semantics: ["StageScope's efficiency"],
  buildkitChecks: { available: false, message: 'BuildKit checks: not available on this engine' },
  finalSize: 2 * 1024 * 1024,
  baseline: null,
  growth: [],
  notes: [],
  results: [
    {
      rule: 'maxSize',
      severity: 'error',
      passed: false,
      stage: 'stage-2',
      stageIndex: 2,
      line: 6,
      message: 'Stage stage-2 is 2.10 MB, over its budget of 1.00 MB.',
      bytes: 2 * 1024 * 1024,
      limit: 1e6,
      actual: 2 * 1024 * 1024,
    },
    {
      rule: 'secrets-in-layers',
      severity: 'warn',
      passed: false,
      stage: 'stage-2',
      stageIndex: 2,
      line: 7,
      layer: 0,
      message: `/${XSS_NAME} (a .env file, 5 B) is in the image.`,
      bytes: 5,
      paths: [`/${XSS_NAME}`],
    },
    {
      rule: 'hidden-by-rm',
      severity: 'warn',
      passed: true,
      stage: 'stage-2',
      stageIndex: 2,
      line: null,
      message: 'No layer removes bytes an earlier layer wrote.',
    },
    {
      rule: 'maxSize',
      severity: 'error',
      passed: true,
      stage: 'builder',
      stageIndex: 0,
      line: 1,
      message: 'Stage builder is within its budget.',
    },
  ],
  summary: { errors: 1, warnings: 1, infos: 0, passed: 2 },
};

describe('ChecksView', () => {
  it('asks for the checks after a build, lists failures first and links to stage, layer and file', async () => {
    const api = fakeApi({ 'check.run': () => checks });
    const app = new AppState(api);
    app.model = model;
    app.setReport(report);
    app.tab = 'checks';
    render(ChecksView, { app });
    expect(api.calls.some((c) => c.name === 'check.run')).toBe(true);
    const region = screen.getByRole('region', { name: 'Checks' });
    await within(region).findByText('✗ Checks failed');
    expect(region.textContent).toContain('BuildKit checks: not available on this engine');
    const failedRows = within(within(region).getByRole('table', { name: 'Failed checks' }))
      .getAllByRole('row')
      .slice(1);
    expect(failedRows.map((r) => r.getAttribute('data-rule'))).toEqual(['maxSize', 'secrets-in-layers']);
    expect(failedRows[0].textContent).toContain('FAIL');
    expect(region.querySelector('img')).toBeNull(); // the hostile file name stays text

    await fireEvent.click(within(failedRows[1]).getByRole('button', { name: 'line 7' }));
    expect(app.tab).toBe('stage');
    expect(app.selectedStage).toBe(2);
    expect(app.selectedLayer).toBe(0);

    app.tab = 'checks';
    await fireEvent.click(within(failedRows[1]).getByRole('button', { name: `/${XSS_NAME}` }));
    expect(app.reveal).toMatchObject({ stage: 2, path: `/${XSS_NAME}` });

    app.tab = 'checks';
    await fireEvent.click(within(failedRows[0]).getByRole('button', { name: 'stage-2' }));
    expect(app.selectedStage).toBe(2);
    expect(app.selectedLayer).toBeNull();
  });

  it('puts a badge on each checked stage in the graph', async () => {
    const app = new AppState(fakeApi({ 'check.run': () => checks }));
    app.model = model;
    app.setReport(report);
    render(GraphView, { app });
    await screen.findByRole('img', { name: 'Checks of stage-2: 1 check failed' });
    expect(screen.getByRole('img', { name: 'Checks of builder: checks passed' })).toBeTruthy();
    expect(screen.queryByRole('img', { name: /Checks of debug/ })).toBeNull();
  });

  it('shows an invalid config as an error with its line, and checks again on request', async () => {
    let calls = 0;
    const api = fakeApi({
      'check.run': () => {
        calls++;
        if (calls === 1)
          throw new StageScopeError('usage', '.stagescope.yml line 3: unknown key "final.maxSzie".', 'Fix the config.', { line: 3 });
        return { ...checks, status: 'pass', results: [checks.results[2]], summary: { errors: 0, warnings: 0, infos: 0, passed: 1 } };
      },
    });
    const app = new AppState(api);
    app.model = model;
    app.setReport(report);
    render(ChecksView, { app });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('unknown key "final.maxSzie"');
    await fireEvent.click(within(alert).getByRole('button', { name: /Retry/ }));
    await screen.findByText('✓ Checks passed');
    await waitFor(() => expect(screen.getByText('Every check passed.')).toBeTruthy());
  });
});
