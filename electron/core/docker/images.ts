// Local images: export (docker save), inspect, existence, and removal by label for `prune`.
// @types/dockerode lags the API (VirtualSize is gone since 1.44), so the fields used are typed here.
import { PassThrough, type Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { StageScopeError } from '../../../shared/errors.ts';

export interface ImageInfo {
  id: string;
  /** Bytes of the image (all layers), from `Size`. */
  size: number;
  /** ISO date. */
  created: string;
  labels: Record<string, string>;
  repoTags: string[];
}

interface RawImageInspect {
  Id: string;
  Size?: number;
  Created?: string;
  RepoTags?: string[] | null;
  Config?: { Labels?: Record<string, string> | null } | null;
}

interface RawImageSummary {
  Id: string;
  RepoTags?: string[] | null;
  Labels?: Record<string, string> | null;
}

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

/**
 * Any other failure of an engine call as a StageScopeError: the engine stopping or restarting
 * mid-analysis surfaces as ENOENT / ECONNREFUSED / ECONNRESET from the socket, and callers
 * (and users) must get one sentence with what to try, not a raw socket error.
 */
export function engineCallError(err: unknown, what: string): StageScopeError {
  if (err instanceof StageScopeError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const status = statusOf(err);
  const answer = status ? engineAnswer(err) : '';
  // The engine answered: it is running, so pass on what it said instead of a generic hint.
  if (answer) {
    return new StageScopeError(
      'engine',
      `The Docker Engine refused ${what}: ${answer} (HTTP ${status}).`,
      'The engine is running and gave this reason; see `docker version` and its log for more.',
      { cause: answer, status },
    );
  }
  const reason = code ?? (status ? `HTTP ${status}` : err instanceof Error ? err.message : String(err));
  return new StageScopeError(
    'engine',
    `The Docker Engine failed while ${what} (${reason}).`,
    'Check that the engine is running (docker version), then try again.',
    { cause: reason },
  );
}

/** The engine's own message from a docker-modem HTTP error: `(HTTP code 500) server error - MSG `. */
function engineAnswer(err: unknown): string {
  const json = (err as { json?: { message?: unknown } | null }).json;
  const raw =
    typeof json?.message === 'string' ? json.message : err instanceof Error ? err.message.replace(/^\(HTTP code \d+\)[^-]*- /, '') : '';
  // Data from the engine: one line, bounded, shown as text.
  return raw.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** One `docker save` stream for all refs: a layer shared by several images crosses once. */
export async function exportImages(docker: Dockerode, refs: string[]): Promise<Readable> {
  if (refs.length === 0) throw new StageScopeError('usage', 'No images to export.', 'Build at least one stage first.');
  // docker-modem turns an array into repeated `names=` parameters (querystring.stringify).
  const dial = (resolve: (s: Readable) => void, reject: (e: unknown) => void) =>
    docker.modem.dial(
      {
        path: '/images/get?',
        method: 'GET',
        options: { names: refs },
        isStream: true,
        statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
      },
      (err: unknown, stream: unknown) => (err ? reject(err) : resolve(stream as Readable)),
    );
  let stream: Readable;
  try {
    stream = await new Promise<Readable>(dial);
  } catch (err) {
    if (statusOf(err) === 404)
      throw new StageScopeError('not-found', `Cannot export ${refs.join(', ')}: an image does not exist.`, 'Build the stages again.');
    throw engineCallError(err, 'exporting the images');
  }
  // A connection cut mid-stream (the engine stopped or crashed) is the engine's fault, not a
  // corrupt archive: say so, so the hint is to check the engine rather than to save again.
  const out = new PassThrough();
  stream.once('error', (err) => out.destroy(engineCallError(err, 'exporting the images')));
  out.once('close', () => stream.destroy());
  return stream.pipe(out);
}

export async function inspectImage(docker: Dockerode, ref: string): Promise<ImageInfo> {
  let raw: RawImageInspect;
  try {
    raw = (await docker.getImage(ref).inspect()) as unknown as RawImageInspect;
  } catch (err) {
    if (statusOf(err) === 404)
      throw new StageScopeError(
        'not-found',
        `The image ${ref} does not exist on the Docker Engine.`,
        'Check the name with `docker images`, or build it first.',
        { ref },
      );
    throw engineCallError(err, `inspecting ${ref}`);
  }
  return {
    id: raw.Id,
    size: raw.Size ?? 0,
    created: raw.Created ?? '',
    labels: raw.Config?.Labels ?? {},
    repoTags: (raw.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
  };
}

export async function imageExists(docker: Dockerode, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw engineCallError(err, `looking up ${ref}`);
  }
}

/**
 * Remove every image carrying `label` (`key` or `key=value`), and only those (by id, with all
 * their tags: the label says StageScope built them). Returns the ids removed.
 */
export async function removeImagesByLabel(docker: Dockerode, label: string): Promise<string[]> {
  const images = (await docker.listImages({ filters: { label: [label] } } as object)) as unknown as RawImageSummary[];
  const [key, value] = label.split('=', 2);
  const removed: string[] = [];
  for (const image of images) {
    // Double-check the label: never trust a filter with deleting things.
    const actual = image.Labels?.[key];
    if (actual === undefined || (value !== undefined && actual !== value)) continue;
    try {
      await docker.getImage(image.Id).remove({ force: true });
      removed.push(image.Id);
    } catch (err) {
      if (statusOf(err) !== 404) throw err; // already gone (removed with a parent): fine
    }
  }
  return removed;
}

/**
 * Remove images by id only while they are untagged (dangling leftovers of a classic build);
 * an image that gained a tag or has children stays. Returns the ids removed.
 */
export async function removeUntaggedImages(docker: Dockerode, ids: string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const id of ids) {
    try {
      const raw = (await docker.getImage(id).inspect()) as unknown as RawImageInspect;
      if ((raw.RepoTags ?? []).some((t) => t !== '<none>:<none>')) continue;
      await docker.getImage(raw.Id).remove(); // no force: a conflict (children, containers) keeps it
      removed.push(raw.Id);
    } catch (err) {
      if (statusOf(err) !== 404 && statusOf(err) !== 409) throw err;
    }
  }
  return removed;
}
