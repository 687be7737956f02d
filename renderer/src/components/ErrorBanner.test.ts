import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import ErrorBanner from './ErrorBanner.svelte';
import { StageScopeError } from '../../../shared/errors.ts';

afterEach(cleanup);

describe('ErrorBanner', () => {
  it('shows message, line and hint of a StageScopeError, with its actions', async () => {
    const retry = vi.fn();
    render(ErrorBanner, { title: 'Analysis failed', error: new StageScopeError('archive', 'Layer 3 is truncated <b>x</b>.', 'Build again.', { line: 9 }), onretry: retry });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Layer 3 is truncated <b>x</b>.');
    expect(alert.querySelector('b')).toBeNull();
    expect(alert.textContent).toContain('line 9');
    expect(alert.textContent).toContain('What to try: Build again.');
    await fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('takes plain error-like objects and strings', () => {
    render(ErrorBanner, { title: 'Build failure', error: { message: 'exit code 2', details: { line: 4 } } });
    expect(screen.getByRole('alert').textContent).toContain('exit code 2');
    expect(screen.getByRole('alert').textContent).toContain('line 4');
    cleanup();
    render(ErrorBanner, { title: 'Oops', error: 'plain text' });
    expect(screen.getByRole('alert').textContent).toContain('plain text');
  });
});
