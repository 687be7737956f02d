// One image build through POST /build (with a BuildKit session of our own, session.ts), streaming
// progress as BuildEvents.
//
// Why not dockerode's buildImage: with `version: '2'` it opens a BuildKit session over
// /session that BuildKit health-checks and drops after ~10 s (dockerode's gRPC server lacks
// grpc.health.v1.Health: apocas/dockerode#845), so longer builds fail with "no active
// session". session.ts opens one that answers the health check; the request is made directly.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { BuildEvent, Builder, BuildFailure } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { jsonMessages, ProgressDecoder, type StepCallbacks } from './progress.ts';
import type { BuildSession } from './session.ts';

export interface BuildImageOptions extends StepCallbacks {
  /** The context tar, or null when `session` serves the context and the Dockerfile (filesync.ts). */
  context: Readable | null;
  /** Path of the Dockerfile inside the context tar, or inside the session's "dockerfile" dir. */
  dockerfileName: string;
  target?: string;
  tag: string;
  labels: Record<string, string>;
  buildArgs?: Record<string, string>;
  builder: Builder;
  /** Network for RUN steps; 'none' unless asked (no traffic leaves a build by default). */
  network?: string;
  noCache?: boolean;
  signal?: AbortSignal;
  onEvent: (e: BuildEvent) => void;
  /** Stage to blame when a failure cannot be tied to a vertex (the target's index). */
  stage?: number;
  /** A BuildKit session for the build (see session.ts); buildImage opens one itself. */
  sessionId?: string;
  /** An open session the caller owns (and closes), e.g. one serving the context. */
  session?: BuildSession;
}

export function buildQuery(opts: BuildImageOptions): Record<string, string | boolean> {
  const query: Record<string, string | boolean> = {
    t: opts.tag,
    dockerfile: opts.dockerfileName,
    labels: JSON.stringify(opts.labels),
    networkmode: opts.network ?? 'none',
    version: opts.builder === 'buildkit' ? '2' : '1',
    // Classic builder: never leave intermediate containers behind, even after a failure.
    rm: true,
    forcerm: true,
  };
  if (opts.target) query.target = opts.target;
  if (opts.buildArgs && Object.keys(opts.buildArgs).length) query.buildargs = JSON.stringify(opts.buildArgs);
  if (opts.noCache) query.nocache = true;
  if (opts.sessionId) query.session = opts.sessionId;
  // The docker CLI's value: BuildKit reads the context and the Dockerfile from the session.
  if (opts.context === null) query.remote = 'client-session';
  return query;
}

const cancelled = () => new StageScopeError('cancelled', 'The build was cancelled.', null);

function post(docker: Dockerode, opts: BuildImageOptions, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/build?',
        method: 'POST',
        options: buildQuery(opts),
        // No body with a session context (an empty one: docker-modem would send the query as JSON).
        file: opts.context ?? Buffer.alloc(0),
        isStream: true,
        abortSignal: signal,
        headers: { 'Content-Type': 'application/x-tar' },
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (err: unknown, res: unknown) => (err ? reject(err) : resolve(res as IncomingMessage)),
    );
  });
}

/** The message the engine put in a non-200 answer, without docker-modem's `(HTTP code ...)` prefix. */
function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  const text = e.json?.message ?? String(e.message ?? err);
  return text.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/**
 * The engine's Dockerfile frontend could not parse a flag (`COPY --parents`, `--exclude`: labs
 * syntax newer than the built-in frontend). No stage ran, so this is not a stage's failure.
 */
export function unsupportedFlagError(message: string, path: string): StageScopeError | null {
  const m = /dockerfile parse error on line (\d+): unknown flag: ([\w-]+)/.exec(message);
  if (!m) return null;
  const [, line, flag] = m;
  return new StageScopeError(
    'dockerfile',
    `Line ${line} uses --${flag}, which this Docker Engine's built-in Dockerfile frontend does not know.`,
    `--${flag} needs a newer frontend (e.g. \`# syntax=docker/dockerfile:1.7-labs\`), which the engine must be able to pull; otherwise write the line without --${flag}.`,
    { path, line: Number(line), flag },
  );
}

function failureError(failure: BuildFailure, leftoverImageIds: string[], dockerfile: string): StageScopeError {
  const unsupported = unsupportedFlagError(failure.message, dockerfile);
  if (unsupported) return unsupported;
  const stage = failure.stageName ?? `stage ${failure.stage}`;
  const where = failure.line ? ` at line ${failure.line}` : '';
  const what = failure.instruction ? ` (${failure.instruction.split('\n')[0].slice(0, 120)})` : '';
  const missingBase = /failed to resolve source metadata for (\S+?):? /.exec(failure.message);
  const hint = missingBase
    ? `The image ${missingBase[1]} is not on this Docker Engine and cannot be pulled from here: build, load or tag it locally first.`
    : 'Read the step log above, fix the Dockerfile or the project files, and build again.';
  return new StageScopeError('build', `The ${stage} stage failed${where}${what}: ${failure.message}`, hint, {
    failure,
    leftoverImageIds,
  });
}

export interface BuildResult {
  imageId: string;
  /** Untagged images the classic builder left behind (see removeUntaggedImages); [] for BuildKit. */
  leftoverImageIds: string[];
}

export async function buildImage(docker: Dockerode, opts: BuildImageOptions): Promise<BuildResult> {
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  if (opts.signal?.aborted) throw cancelled();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let response: IncomingMessage | null = null;
  // Closing the connection is what makes the engine stop the build.
  abort.signal.addEventListener('abort', () => response?.destroy(), { once: true });

  const decoder = new ProgressDecoder(opts, opts.onEvent);
  // BuildKit needs a session to skip optional secret and ssh mounts (see session.ts).
  let session: BuildSession | null = null;
  try {
    // Loaded on first use: grpc-js is ~100 ms of a command's start that builds nothing.
    if (opts.builder === 'buildkit' && !opts.sessionId && !opts.session)
      session = await (await import('./session.ts')).openBuildSession(docker);
    const sessionId = opts.session?.id ?? session?.id;
    try {
      response = await post(docker, sessionId ? { ...opts, sessionId } : opts, abort.signal);
    } catch (err) {
      if (abort.signal.aborted) throw cancelled();
      const message = engineMessage(err);
      throw new StageScopeError(
        'build',
        `The Docker Engine refused the build: ${message}`,
        'Check the Dockerfile, the target name and the build arguments.',
        {
          failure: { stage: opts.stage ?? 0, stageName: null, instruction: null, line: null, message, logs: [] } satisfies BuildFailure,
        },
      );
    }
    try {
      for await (const msg of jsonMessages(response)) decoder.handle(msg);
    } catch (err) {
      if (abort.signal.aborted) throw cancelled();
      throw new StageScopeError(
        'engine',
        `The connection to the Docker Engine broke during the build: ${(err as Error).message}`,
        'Check that Docker is still running and build again.',
      );
    }
    if (abort.signal.aborted) throw cancelled();
    decoder.finish();
    if (decoder.error !== null) throw failureError(decoder.failure(opts.stage ?? 0), decoder.leftoverImageIds, opts.dockerfileName);
    const imageId = decoder.imageId ?? ((await docker.getImage(opts.tag).inspect()) as { Id: string }).Id;
    return { imageId, leftoverImageIds: decoder.leftoverImageIds };
  } finally {
    session?.close();
    opts.signal?.removeEventListener('abort', onAbort);
    // Cancelled, or the engine answered before reading all of it: stop walking the folder.
    if (opts.context && !opts.context.readableEnded) opts.context.destroy();
  }
}

/**
 * True when a build failed because the `# syntax=` frontend image could not be fetched
 * (offline, no registry): the caller then retries with the directive stripped.
 */
export function isFrontendResolutionError(err: unknown): boolean {
  const failure = err instanceof StageScopeError && err.is('build') ? err.details.failure : undefined;
  const text = `${failure?.message ?? ''} ${err instanceof Error ? err.message : String(err)}`;
  return (
    /failed to resolve source metadata for [^\s:]*docker\/dockerfile/i.test(text) ||
    /(resolve image config|load metadata|pull access denied)[^\n]*docker\/dockerfile/i.test(text) ||
    /frontend (gateway\.v0|dockerfile\.v0)[^\n]*(resolve|pull|no such host|dial tcp)/i.test(text)
  );
}
