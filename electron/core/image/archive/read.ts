// readImageArchive: one pass over a `docker save` stream. Layer blobs are parsed as they
// stream (nested tar extract, hashing as bytes pass), small JSON blobs are kept, and the
// manifest decides at the end which blob belonged to which image.
import type { Readable } from 'node:stream';
import tar, { type Header as Headers } from 'tar-stream';
import type { Readable as Source } from 'streamx';

import { StageScopeError } from '../../../../shared/errors.ts';
import type { ArchiveContents, ReadArchiveOptions } from '../types.ts';
import { assemble, type ArchiveState } from './assemble.ts';
import { asArchiveError, cancelled, corrupt } from './errors.ts';
import { resolveLimits } from './limits.ts';
import { readOuterEntry, type EntryContext } from './outer-entry.ts';
import { normalizeArchivePath, resolveArchiveLink } from './paths.ts';

const OUTER_HIGH_WATER = 1024 * 1024;
const PROGRESS_INTERVAL_MS = 200;

export async function readImageArchive(input: Readable, opts: ReadArchiveOptions = {}): Promise<ArchiveContents> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) {
    input.destroy();
    throw cancelled();
  }
  const state: ArchiveState = { blobs: new Map(), links: new Map(), offsets: new Map() };
  let bytes = 0;
  let layersDone = 0;
  let lastProgress = 0;
  const report = (force: boolean): void => {
    if (!onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    onProgress({ bytes, layersDone });
  };
  const ctx: EntryContext = {
    limits: resolveLimits(opts.limits),
    entryCount: 0,
    wantLayer: opts.wantLayer,
    active: null,
    onLayerDone: () => {
      layersDone++;
      report(true);
    },
  };

  const outer = tar.extract({ highWaterMark: OUTER_HIGH_WATER } as object);
  let failure: StageScopeError | null = null;
  const stop = (err: StageScopeError): void => {
    failure ??= err;
    ctx.active?.destroy();
    outer.destroy(failure);
    input.destroy();
  };
  const onAbort = (): void => stop(cancelled());
  signal?.addEventListener('abort', onAbort, { once: true });

  const parsed = new Promise<void>((resolve, reject) => {
    outer.on('entry', (header: Headers, stream: Source, next: () => void) => {
      handleEntry(header, stream, state, ctx).then(
        () => next(),
        (err: unknown) => stop(asArchiveError(err, header.name)),
      );
    });
    outer.on('error', (err: Error) => reject(err));
    outer.on('close', () => resolve());
  });

  let trailingZeros = 0;
  const feed = async (): Promise<void> => {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      let i = chunk.length - 1;
      while (i >= 0 && chunk[i] === 0) i--;
      trailingZeros = i < 0 ? trailingZeros + chunk.length : chunk.length - 1 - i;
      report(false);
      if (!outer.write(chunk)) await drained(outer);
      if (failure || outer.destroyed) return;
    }
    outer.end(undefined);
  };

  try {
    await Promise.all([
      feed().catch((err: unknown) => stop(asArchiveError(err, 'reading the stream'))),
      parsed.catch((err: unknown) => stop(outerError(err))),
    ]);
    if (failure) throw failure;
    if (trailingZeros < 1024) {
      throw corrupt('The image archive ends early: its tar has no end-of-archive marker (truncated).');
    }
    const contents = assemble(state, opts.wantLayer);
    report(true);
    return contents;
  } catch (err) {
    input.destroy();
    throw asArchiveError(err, 'assembling images');
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function outerError(err: unknown): StageScopeError {
  if (err instanceof StageScopeError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return corrupt(`The image archive is not a valid tar: ${reason}.`);
}

function drained(stream: {
  once(ev: string, fn: () => void): unknown;
  off(ev: string, fn: () => void): unknown;
  destroyed: boolean;
}): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

async function handleEntry(header: Headers, stream: Source, state: ArchiveState, ctx: EntryContext): Promise<void> {
  const path = normalizeArchivePath(header.name);
  if (header.type === 'symlink' || header.type === 'link') {
    const target = header.linkname ?? '';
    // Symlink targets are relative to the link's folder; tar hardlinks name an archive path.
    state.links.set(path, header.type === 'symlink' ? resolveArchiveLink(path, target) : normalizeArchivePath(target));
  }
  if (header.type !== 'file' && header.type !== 'contiguous-file') {
    stream.resume();
    return;
  }
  if (!header.size) {
    stream.resume();
    return;
  }
  // tar-stream's entry streams carry their header's offset in the archive stream (its types do not say).
  state.offsets.set(path, (stream as unknown as { offset: number }).offset);
  // The entry size lets a big gzip layer (an OCI archive's blob) inflate on a worker thread.
  state.blobs.set(path, await readOuterEntry(path, stream, ctx, header.size));
}
