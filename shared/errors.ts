// Errors that StageScope raises on purpose. Each carries a code (stable, for the UI and exit
// codes), a one-sentence message, and a hint saying what to try. They cross IPC and the
// WebSocket as `{ error: { name, message, details } }` and are rebuilt on the other side.

export type ErrorCode =
  | 'usage' // bad command-line or API arguments
  | 'dockerfile' // the Dockerfile cannot be read or is invalid
  | 'engine' // the Docker Engine cannot be reached or is too old
  | 'build' // a stage failed to build
  | 'archive' // an image archive is corrupt or hostile
  | 'not-found' // an image, stage, file or path does not exist
  | 'cancelled' // the user cancelled
  | 'busy' // another operation holds the resource
  | 'internal';

export class StageScopeError extends Error {
  override name = 'StageScopeError';
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly hint: string | null = null,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface SerializedError {
  name: string;
  message: string;
  details: { code: ErrorCode; hint: string | null } & Record<string, unknown>;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof StageScopeError) {
    return { name: err.name, message: err.message, details: { ...err.details, code: err.code, hint: err.hint } };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name || 'Error', message: e.message, details: { code: 'internal', hint: null } };
}

export function deserializeError(s: SerializedError): StageScopeError {
  const { code, hint, ...rest } = s.details ?? { code: 'internal', hint: null };
  return new StageScopeError(code ?? 'internal', s.message, hint ?? null, rest);
}

/** The message with its hint, as one or two sentences for a terminal or a banner. */
export function describeError(err: unknown): string {
  if (err instanceof StageScopeError) return err.hint ? `${err.message} ${err.hint}` : err.message;
  return err instanceof Error ? err.message : String(err);
}
