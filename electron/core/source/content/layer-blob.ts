// One layer blob of an opened image, read again from where the image came from: a member of a
// `docker save` / OCI archive (gzipped or not), a blob file of an OCI layout, or a registry blob
// through the same client options (auth, TLS, --ca-cert, --insecure) the image was opened with.
// Nothing is copied to disk; the caller reads as much as it needs and closes.
import { StageScopeError } from '../../../../shared/errors.ts';
import type { LayerBlob } from '../../image/types.ts';
import { OciLayoutStore } from '../oci-layout.ts';
import { registryStoreFor } from '../registry/store.ts';
import type { OpenSourceOptions, SourceRef } from '../types.ts';
import { openArchiveMember } from './archive-member.ts';

/** How to reach an opened image's source again. */
export interface ReopenableSource {
  ref: Exclude<SourceRef, { kind: 'engine' }>;
  /** Names the source in messages (`registry:HOST/REPO:TAG`, a path...). */
  label: string;
  /** The options it was opened with that reading needs again (registry auth and TLS). */
  options: Pick<OpenSourceOptions, 'caCertFile' | 'insecure' | 'env' | 'homeDir'>;
  /** Each layer's blob in the source, by diffId (ArchiveContents.blobs). */
  blobs: Map<string, LayerBlob>;
}

export interface OpenedBlob {
  chunks: AsyncIterable<Buffer>;
  /** Lets go of files and connections; safe to call twice. */
  close(): void;
}

/** How long a registry may take to send a blob's first bytes before it counts as gone. */
export const FIRST_BYTES_MS = 5000;

export async function openLayerBlob(source: ReopenableSource, diffId: string, what: string): Promise<OpenedBlob> {
  const blob = source.blobs.get(diffId);
  const { ref } = source;
  if (!blob)
    throw new StageScopeError('archive', `${what} was not located in ${source.label} when it was opened.`, 'Open the image again.');
  if ('member' in blob) {
    if (ref.kind !== 'archive' && ref.kind !== 'oci-archive') throw new Error(`a ${ref.kind} source has no archive members`);
    return chunksOf(await openArchiveMember(ref.path, blob, what));
  }
  if (ref.kind === 'oci-dir') {
    const stream = await new OciLayoutStore(ref.path, ref.tag).openBlob(blob, what).catch(() => {
      throw new StageScopeError(
        'not-found',
        `The OCI layout ${ref.path} no longer has ${what} (${blob.digest.slice(0, 19)}…): it changed or went away since the image was opened.`,
        'Open the image again from where it is now.',
      );
    });
    return chunksOf({ stream, close: () => stream.destroy() });
  }
  if (ref.kind !== 'registry') throw new Error(`a ${ref.kind} source has no blob store`);
  // Local files are there or not at once; a registry that is down or silent is given 5 s.
  const controller = new AbortController();
  const store = registryStoreFor(ref, { ...source.options, signal: controller.signal });
  const stream = await store.openBlob(blob, what).catch((err: unknown) => {
    void store.close();
    throw err;
  });
  const close = (): void => {
    stream.destroy();
    void store.close();
  };
  const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const first = iterator.next();
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<'silent'>((resolve) => (timer = setTimeout(() => resolve('silent'), FIRST_BYTES_MS)));
  try {
    const got = await Promise.race([first, silent]);
    if (got === 'silent') {
      controller.abort();
      first.catch(() => undefined);
      throw new StageScopeError(
        'engine',
        `The registry ${ref.host} sent nothing for ${what} within ${FIRST_BYTES_MS / 1000} s.`,
        'Check that the registry is running and reachable.',
      );
    }
    return chunksOf({ stream, close }, { iterator, first: got });
  } catch (err) {
    close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The blob's chunks (after one already read, if any); the blob is closed when they end or stop. */
function chunksOf(
  opened: { stream: AsyncIterable<Buffer>; close(): void },
  started?: { iterator: AsyncIterator<Buffer>; first: IteratorResult<Buffer> },
): OpenedBlob {
  const iterator = started?.iterator ?? opened.stream[Symbol.asyncIterator]();
  const first = started?.first;
  return {
    chunks: (async function* () {
      try {
        if (first && !first.done) yield first.value;
        if (first?.done) return;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      } finally {
        opened.close();
      }
    })(),
    close: opened.close,
  };
}
