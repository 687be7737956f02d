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

import type { BuildFailure } from './model.ts';

/** What each code may carry besides its message and hint: the fields the UI and the CLI read. */
export interface DetailsByCode {
  /** `field`: the invalid argument; `ref`/`stages`: an unknown stage and the ones that exist. */
  usage: { field?: string; ref?: string; stages?: string[]; config?: string; line?: number | null };
  /** Every invalid-Dockerfile error names the file (`path`, as given) and the line when known. */
  dockerfile: {
    path: string;
    line: number | null;
    column?: number;
    instruction?: string;
    /** A stage name that is invalid or used twice (first at `firstLine`). */
    name?: string;
    firstLine?: number;
    image?: string;
    /** A --from / from= reference to a stage that is not earlier (defined at `refLine`). */
    ref?: string;
    refLine?: number;
    /** A flag the engine's built-in frontend does not know (COPY --parents). */
    flag?: string;
  };
  /** `failure` when a stage failed; `path` when a build-context file cannot be read. */
  build: { failure?: BuildFailure; leftoverImageIds?: string[]; path?: string };
  archive: { fatal?: true; limit?: string };
  engine: { cause?: string; status?: number };
  'not-found': { ref?: string; platforms?: string[] };
  cancelled: Record<never, never>;
  busy: { buildId?: string };
  internal: Record<never, never>;
}

/** The details of an error together with its code: switch on `code` to read the rest. */
type TaggedDetails = { [C in ErrorCode]: { code: C } & DetailsByCode[C] };
export type ErrorDetails = TaggedDetails[ErrorCode];

export class StageScopeError<C extends ErrorCode = ErrorCode> extends Error {
  override name = 'StageScopeError';
  /** The details, tagged with the code (the same as `this.code`), so a switch narrows them. */
  public readonly details: TaggedDetails[C];
  constructor(
    public readonly code: C,
    message: string,
    public readonly hint: string | null = null,
    ...[details]: Record<never, never> extends DetailsByCode[C] ? [details?: DetailsByCode[C]] : [details: DetailsByCode[C]]
  ) {
    super(message);
    this.details = { ...details, code } as TaggedDetails[C];
  }

  /** True when this error has that code; narrows `details` to that code's fields. */
  is<K extends ErrorCode>(code: K): this is StageScopeError<K> {
    return (this.code as ErrorCode) === code;
  }
}

export interface SerializedError {
  name: string;
  message: string;
  details: ErrorDetails & { hint: string | null };
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
  // The other side built these details with the same types; they are taken as they came.
  return new StageScopeError<ErrorCode>(code ?? 'internal', s.message, hint ?? null, rest as DetailsByCode[ErrorCode]);
}

/** The message with its hint, as one or two sentences for a terminal or a banner. */
export function describeError(err: unknown): string {
  if (err instanceof StageScopeError) return err.hint ? `${err.message} ${err.hint}` : err.message;
  return err instanceof Error ? err.message : String(err);
}
