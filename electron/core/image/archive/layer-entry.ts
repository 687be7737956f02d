// One file's bytes out of a layer blob while it streams: the blob is sniffed (tar, gzip, zstd),
// decoded by the archive reader's decoders and walked by its tar reader. Entries before the
// file pass by without being kept; once the file is out the blob is let go, unread to its end.
import { StageScopeError } from '../../../../shared/errors.ts';
import type { ArchiveLimits } from '../types.ts';
import { createDecoder, type BlobDecoder } from './decoders.ts';
import { corrupt } from './errors.ts';
import { normalizeEntryPath } from './paths.ts';
import { SNIFF_BYTES, sniffBlob } from './sniff.ts';
import { TarReader } from './tar-reader.ts';

/**
 * Yields the content of the regular file `path` (absolute, normalized) in the layer tar that
 * `blob` carries. `label` names the layer in messages (`Layer <label> is …`). Throws one sentence when the blob is
 * not a layer, is corrupt, or has no such file (the source changed since it was indexed).
 */
export async function* layerEntryBytes(
  blob: AsyncIterable<Buffer>,
  path: string,
  label: string,
  limits: ArchiveLimits,
): AsyncGenerator<Buffer> {
  // Set by the tar reader's callbacks: typed wide, so no check below is narrowed away.
  let state = 'seeking' as 'seeking' | 'reading' | 'done';
  // Decoded content waiting to be yielded: at most what one blob chunk inflates to (the
  // decoders' bomb guard bounds that), never the blob.
  const out: Buffer[] = [];
  const tar = new TarReader({
    entry: (header) => {
      if (state !== 'seeking' || (header.type !== 'file' && header.type !== 'contiguous-file')) return false;
      if (normalizeEntryPath(header.name) !== path) return false;
      state = header.size > 0 ? 'reading' : 'done';
      return true;
    },
    // The decoders hand out views of their own buffers (fzstd reuses its window): copy.
    data: (chunk) => void out.push(Buffer.from(chunk)),
    done: () => void (state = 'done'),
  });
  let tarError: Error | null = null;
  const sink = {
    write(chunk: Buffer): boolean {
      if (state === 'done' || tarError) return true;
      try {
        tar.write(chunk);
      } catch (err) {
        tarError = corrupt(`Layer ${label} is not a valid tar: ${(err as Error).message}.`);
      }
      return true;
    },
    drained: () => Promise.resolve(),
  };
  let decoder: BlobDecoder | null = null;
  let head: Buffer = Buffer.alloc(0);
  const failed = (): Error | null => decoder?.error ?? tarError;
  const start = (bytes: Buffer): BlobDecoder => {
    const kind = sniffBlob(bytes);
    if (kind !== 'tar' && kind !== 'gzip' && kind !== 'zstd') throw corrupt(`Layer ${label} is not a tar, gzip or zstd layer.`);
    return createDecoder(kind, sink, limits, label);
  };
  try {
    for await (const chunk of blob) {
      let data = chunk;
      if (decoder === null) {
        head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
        if (head.length < SNIFF_BYTES) continue;
        decoder = start(head);
        data = head;
      }
      await decoder.write(data);
      const err = failed();
      if (err) throw err;
      while (out.length > 0) yield out.shift()!;
      if (state === 'done') return;
    }
    if (decoder === null) {
      // A blob shorter than a tar header (a small gzip layer) is still a layer.
      decoder = start(head);
      await decoder.write(head);
    }
    await decoder.end();
    const err = failed();
    if (err) throw err;
    while (out.length > 0) yield out.shift()!;
    if (state === 'reading') throw corrupt(`Layer ${label} ends inside ${path} (truncated).`);
    if (state === 'seeking') {
      throw new StageScopeError(
        'not-found',
        `Layer ${label} no longer holds ${path}: the image source changed since it was opened.`,
        'Open the image again.',
      );
    }
  } finally {
    decoder?.destroy();
  }
}
