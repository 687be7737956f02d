// Failures are one sentence (shared/errors.ts), and a source that is gone fails within 5 s.
import { expect } from 'vitest';
import { StageScopeError } from '../../shared/errors.ts';

/** The promise fails with one StageScopeError sentence matching `pattern`, within 5 s. */
export async function failsWithin5s(p: Promise<unknown>, pattern: RegExp): Promise<StageScopeError> {
  const started = Date.now();
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(Date.now() - started).toBeLessThan(5000);
  expect(err).toBeInstanceOf(StageScopeError);
  const message = (err as StageScopeError).message;
  expect(message).toMatch(pattern);
  expect(message.split(/(?<=\.) /).length, message).toBe(1);
  return err as StageScopeError;
}
