import { StageScopeError, type DetailsByCode } from '../../../../shared/errors.ts';

const CORRUPT_HINT = 'Save the image again (docker save) and check that the file was copied completely.';

/** An archive error about corrupt data: deferred when it hits a blob that may not be a layer. */
export function corrupt(message: string, hint: string = CORRUPT_HINT): StageScopeError {
  return new StageScopeError('archive', message, hint);
}

/**
 * An archive error that stops reading at once, wherever it happens: limits (hostile input) and
 * cancellation must not wait for the end of a multi-GB stream.
 */
export function fatal(message: string, hint: string, details: DetailsByCode['archive'] = {}): StageScopeError {
  return new StageScopeError('archive', message, hint, { ...details, fatal: true });
}

export function isFatal(err: unknown): boolean {
  return err instanceof StageScopeError && (err.code === 'cancelled' || (err.is('archive') && err.details.fatal === true));
}

export function cancelled(): StageScopeError {
  return new StageScopeError('cancelled', 'Reading the image archive was cancelled.', null);
}

/** The public API throws StageScopeError only: anything else becomes one. */
export function asArchiveError(err: unknown, where: string): StageScopeError {
  if (err instanceof StageScopeError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return corrupt(`The image archive could not be read (${where}): ${reason}.`);
}
