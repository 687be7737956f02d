// One file of an image that is not in the engine (a `docker save` archive, an OCI layout or
// archive, a registry), read from the layer that holds it: the analysis kept every layer's
// entries and each layer's place in the source, so only that layer's blob is opened, only up to
// the file. Read whole (extract), the bytes are checked against the sha256 the analysis took:
// a source that changed since it was opened is one sentence, not a wrong file.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StageScopeError } from '../../../../shared/errors.ts';
import { resolveLimits } from '../../image/archive/limits.ts';
import { layerEntryBytes } from '../../image/archive/layer-entry.ts';
import type { LayerIndex } from '../../image/types.ts';
import { openLayerBlob, type ReopenableSource } from './layer-blob.ts';
import { locateContent } from './locate.ts';

export type { ReopenableSource } from './layer-blob.ts';

export interface SourceFile {
  stream: Readable;
  size: number;
  name: string;
}

/** Opens `path` (a regular file or a hardlink to one) of an image read from `source`. */
export async function openSourceFile(source: ReopenableSource, layers: readonly LayerIndex[], path: string): Promise<SourceFile> {
  const { layer, entry } = locateContent(layers, path);
  const diffId = layers[layer]!.diffId;
  const label = `${layer + 1} (${diffId.slice(0, 19)}…) of ${source.label}`;
  const blob = await openLayerBlob(source, diffId, `layer ${label}`);
  const bytes = layerEntryBytes(blob.chunks, entry.path, label, resolveLimits());
  const name = path.split('/').pop() || 'file';
  const stream = Readable.from(checked(bytes, entry.size, entry.hash, path, source.label), {
    objectMode: false,
    highWaterMark: 1024 * 1024,
  });
  return { stream, size: entry.size, name };
}

/** Passes the bytes on; at their end, fails unless they are the size and sha256 the analysis saw. */
async function* checked(
  bytes: AsyncGenerator<Buffer>,
  size: number,
  hash: string | null,
  path: string,
  label: string,
): AsyncGenerator<Buffer> {
  const digest = createHash('sha256');
  let got = 0;
  for await (const chunk of bytes) {
    digest.update(chunk);
    got += chunk.length;
    yield chunk;
  }
  const sum = digest.digest('hex');
  if (got !== size || (hash !== null && sum !== hash)) {
    throw new StageScopeError(
      'archive',
      `${path} as read now from ${label} is not the file the image held when it was opened (${got} bytes, sha256 ${sum.slice(0, 12)}…, where ${size} bytes, sha256 ${(hash ?? '?').slice(0, 12)}… were expected): the source changed since.`,
      'Open the image again to see what it holds now.',
    );
  }
}
