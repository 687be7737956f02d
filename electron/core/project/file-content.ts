// Reads one file's content out of a stage image, for preview and extract. The analysis keeps
// only metadata and hashes (never contents), so content is asked of the engine when needed:
// a container is created (never started) and the file is read through the archive API.
import type Dockerode from 'dockerode';
import { extract as tarExtract } from 'tar-stream';
import type { Readable } from 'node:stream';
import { StageScopeError } from '../../../shared/errors.ts';
import type { FileMeta } from '../../../shared/model.ts';
import { MANAGED_LABEL } from './naming.ts';

/** Only regular files (and hardlinks to them) are extracted; anything else is one sentence. */
export function assertExtractable(meta: FileMeta | null | undefined, path: string, where: string): void {
  if (!meta) throw new StageScopeError('not-found', `${path} does not exist in ${where}.`, null);
  if (meta.type === 'file' || meta.type === 'hardlink') return;
  throw new StageScopeError(
    'usage',
    `${path} is a ${meta.type}, not a regular file: only files can be extracted.`,
    meta.type === 'symlink' ? `It points to ${meta.linkTarget}; extract that instead.` : null,
  );
}

export interface OpenedFile {
  stream: Readable;
  size: number;
  name: string;
  /** Removes the helper container; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Helper containers that may exist at once: 200 previews requested together made 195
 * containers. The others wait for a slot; a slot is held until the file is closed.
 */
export const MAX_HELPER_CONTAINERS = 4;
let helpersInUse = 0;
const waitingForHelper: (() => void)[] = [];

async function takeHelperSlot(): Promise<() => void> {
  if (helpersInUse >= MAX_HELPER_CONTAINERS) await new Promise<void>((resolve) => waitingForHelper.push(resolve));
  else helpersInUse++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waitingForHelper.shift();
    // The slot passes straight to the next waiter (the count stays), or is given back.
    if (next) next();
    else helpersInUse--;
  };
}

/** Opens `path` of image `imageId` as a stream of its bytes. The caller must close() it. */
export async function openImageFile(docker: Dockerode, imageId: string, path: string): Promise<OpenedFile> {
  const release = await takeHelperSlot();
  let container: Dockerode.Container;
  try {
    // Cmd is required for images without one (scratch); the container never runs.
    container = await docker.createContainer({
      Image: imageId,
      Cmd: ['/stagescope-never-runs'],
      Labels: { [MANAGED_LABEL]: 'true' },
      NetworkDisabled: true,
      HostConfig: { NetworkMode: 'none' },
    });
  } catch (err) {
    release();
    throw err;
  }
  // One removal, shared: a second close() (the stream's own, then the caller's) waits for it
  // instead of returning while the container still exists.
  let removal: Promise<void> | null = null;
  const close = () =>
    (removal ??= container
      .remove({ force: true })
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(release));
  try {
    const archive = (await container.getArchive({ path })) as unknown as Readable;
    const extractor = tarExtract();
    const entry = await new Promise<{ stream: Readable; size: number; name: string }>((resolve, reject) => {
      extractor.once('entry', (header, stream) => {
        if (header.type !== 'file' && header.type !== 'contiguous-file') {
          stream.resume();
          reject(new StageScopeError('not-found', `${path} is not a regular file in this image.`, 'Pick a regular file to read.'));
          return;
        }
        resolve({ stream: stream as unknown as Readable, size: header.size ?? 0, name: header.name.split('/').pop() || 'file' });
      });
      extractor.once('finish', () => reject(new StageScopeError('not-found', `${path} was not found in the image.`, null)));
      extractor.once('error', reject);
      archive.once('error', reject);
      archive.pipe(extractor);
    });
    entry.stream.once('close', () => {
      archive.destroy();
      void close();
    });
    return { ...entry, close };
  } catch (err) {
    await close();
    if (err instanceof StageScopeError) throw err;
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 404) throw new StageScopeError('not-found', `${path} was not found in the image.`, null);
    throw new StageScopeError(
      'engine',
      `Could not read ${path} from the image: ${(err as Error).message}.`,
      'Check that the engine is running and the stage is still built.',
    );
  }
}

/** Reads at most `limit` bytes from the start of the file, then lets go of the stream. */
export async function readImageFileHead(
  docker: Dockerode,
  imageId: string,
  path: string,
  limit: number,
): Promise<{ bytes: Buffer; size: number }> {
  const file = await openImageFile(docker, imageId, path);
  try {
    return { bytes: await readStreamHead(file.stream, limit), size: file.size };
  } finally {
    await file.close();
  }
}

/** The first `limit` bytes of a stream (fewer if it ends first); the stream is destroyed after. */
export async function readStreamHead(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      chunks.push(buf.subarray(0, Math.max(0, limit - got)));
      got += buf.length;
      if (got >= limit) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}
