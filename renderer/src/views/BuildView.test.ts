// Component test against a fake API built from canned data; the real build is covered by e2e.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/svelte';
import BuildView from './BuildView.svelte';
import { AppState } from '../state/app.svelte.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { model } from '../testing/fixtures.ts';
import type { BuildFailure } from '../../../shared/model.ts';

afterEach(cleanup);

const failure: BuildFailure = {
  stage: 0,
  stageName: 'builder',
  instruction: 'RUN go build -o /out/app .',
  line: 2,
  message: 'process "/bin/sh -c go build -o /out/app ." did not complete successfully: exit code: 1',
  logs: ['main.go:3: syntax error'],
  context: [
    { line: 1, text: 'FROM stagescope-test/golang:1.24 AS builder' },
    { line: 2, text: 'RUN go build -o /out/app .' },
    { line: 3, text: '' },
  ],
};

describe('BuildView', () => {
  it('shows the failing line among its neighbours, once, and the failed step does not repeat the message', () => {
    const app = new AppState(fakeApi({}));
    app.model = model;
    app.build.reset([0, 2]);
    app.build.apply({
      type: 'vertex',
      stage: 0,
      id: 'v',
      name: '[builder 2/2] RUN go build -o /out/app .',
      line: 2,
      status: 'failed',
      started: 1,
      completed: 2,
      error: failure.message,
    });
    app.build.apply({ type: 'stage-failed', stage: 0, failure });
    app.build.end('failed');
    app.build.settle(null);
    render(BuildView, { app });
    const card = screen.getByRole('alert');
    expect(card.textContent).toContain('Stage builder failed at line 2');
    const lines = within(card).getByRole('list', { name: 'Dockerfile around line 2' });
    expect(
      within(lines)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['1FROM stagescope-test/golang:1.24 AS builder', '2RUN go build -o /out/app .', '3 ']);
    expect(lines.querySelector('[aria-current="true"]')?.textContent).toBe('2RUN go build -o /out/app .');
    // The instruction appears once in the card (in its context), the engine's message not at all
    // where it only repeats it: how the step ended is said once.
    expect(card.textContent!.split('RUN go build -o /out/app .').length - 1).toBe(1);
    expect(card.textContent).toContain('The command exited with code 1.');
    const region = screen.getByRole('region', { name: 'Build progress' });
    expect(region.textContent!.split('did not complete successfully').length - 1).toBe(0);
    expect(region.textContent).toMatch(/Build failed after/);
    // The instructions after the failure that never ran say so.
    expect(within(region).getByText('not run').closest('li')!.textContent).toContain('COPY --from=builder');
  });
});
