import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import ErrorBanner from './ErrorBanner.svelte';
import { deserializeError, serializeError, StageScopeError, type ErrorCode } from '../../../shared/errors.ts';

afterEach(cleanup);

const failure = { stage: 1, stageName: 'build', instruction: 'RUN make', line: 7, message: 'exit code 2', logs: [] };

/** One error of every code, with the details that code carries. */
const examples: { [C in ErrorCode]: StageScopeError<C> } = {
  usage: new StageScopeError('usage', 'There is no stage "x".', 'Use a stage name.', { ref: 'x', stages: ['base'] }),
  dockerfile: new StageScopeError('dockerfile', 'sub/app.Dockerfile:4: unknown instruction "FORM".', 'Check the spelling.', {
    path: 'sub/app.Dockerfile',
    line: 4,
    column: 1,
  }),
  build: new StageScopeError('build', 'The build stage failed.', 'Fix the build.', { failure, leftoverImageIds: [] }),
  archive: new StageScopeError('archive', 'Layer 3 has too many entries.', 'Build again.', { fatal: true, limit: 'maxEntries' }),
  engine: new StageScopeError('engine', 'Cannot reach the engine.', 'Start Docker.', { cause: 'ECONNREFUSED' }),
  'not-found': new StageScopeError('not-found', 'The image x does not exist.', null, { ref: 'x' }),
  cancelled: new StageScopeError('cancelled', 'The build was cancelled.', null),
  busy: new StageScopeError('busy', 'A build is already running.', 'Wait for it.', { buildId: 'b1' }),
  internal: new StageScopeError('internal', 'Something broke.', null),
};

describe('ErrorBanner', () => {
  it('shows message and hint as text, with its actions', async () => {
    const retry = vi.fn();
    render(ErrorBanner, {
      title: 'Analysis failed',
      error: new StageScopeError('archive', 'Layer 3 is truncated <b>x</b>.', 'Build again.'),
      onretry: retry,
    });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Layer 3 is truncated <b>x</b>.');
    expect(alert.querySelector('b')).toBeNull();
    expect(alert.textContent).toContain('What to try: Build again.');
    await fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('names the Dockerfile, the line and the column of a Dockerfile error', () => {
    render(ErrorBanner, { title: 'Dockerfile error', error: examples.dockerfile });
    expect(screen.getByRole('alert').querySelector('.where')?.textContent).toBe('At sub/app.Dockerfile line 4, column 1');
  });

  it('names the file of a serialized Dockerfile error too (the form a restored record keeps)', () => {
    render(ErrorBanner, { title: 'Dockerfile error', error: serializeError(examples.dockerfile) });
    expect(screen.getByRole('alert').querySelector('.where')?.textContent).toBe('At sub/app.Dockerfile line 4, column 1');
  });

  it('shows no place for a Dockerfile error without a line (the message names the file)', () => {
    render(ErrorBanner, {
      title: 'Dockerfile error',
      error: new StageScopeError('dockerfile', 'The Dockerfile x cannot be read.', 'Check it.', { path: 'x', line: null }),
    });
    expect(screen.getByRole('alert').querySelector('.where')).toBeNull();
  });

  for (const code of Object.keys(examples) as ErrorCode[]) {
    it(`shows a ${code} error, also after it crossed the wire`, () => {
      const sent = examples[code];
      const received = deserializeError(JSON.parse(JSON.stringify(serializeError(sent))));
      expect(received.code).toBe(code);
      expect(received.details).toEqual(sent.details);
      for (const error of [sent, received]) {
        render(ErrorBanner, { title: 'Failed', error });
        const alert = screen.getByRole('alert');
        expect(alert.textContent).toContain(sent.message);
        if (sent.hint) expect(alert.textContent).toContain(`What to try: ${sent.hint}`);
        // Only a Dockerfile error says where; the other codes carry no place in the Dockerfile.
        expect(alert.querySelector('.where') !== null).toBe(code === 'dockerfile');
        cleanup();
      }
    });
  }

  it('takes plain strings and error-like objects without details', () => {
    render(ErrorBanner, { title: 'Build failure', error: { message: 'exit code 2' } });
    expect(screen.getByRole('alert').textContent).toContain('exit code 2');
    cleanup();
    render(ErrorBanner, { title: 'Oops', error: 'plain text' });
    expect(screen.getByRole('alert').textContent).toContain('plain text');
  });
});
