// openImageSource: the one entry point for "read this image from wherever it lives". The CLI
// (inspect, ls, diff-images), the API and the UI's "Open image…" all go through it.
import { StageScopeError } from '../../../shared/errors.ts';
import { connectEngine } from '../docker/connection.ts';
import { exportImages, inspectImage } from '../docker/images.ts';
import { splitLayerless } from '../docker/layerless.ts';
import { readImageArchiveFile } from '../image/archive/index.ts';
import { readArchiveWithCache } from '../image/cache/index.ts';
import type { ArchiveContents } from '../image/types.ts';
import { readBlobImage } from './blob-image.ts';
import { OciLayoutStore } from './oci-layout.ts';
import { formatSourceRef, parseSourceRef } from './ref.ts';
import { registryStoreFor } from './registry/store.ts';
import type { ImageSource, OpenSourceOptions, SourceRef } from './types.ts';

export async function openImageSource(ref: string | SourceRef, options: OpenSourceOptions = {}): Promise<ImageSource> {
  const parsed = typeof ref === 'string' ? parseSourceRef(ref, options.defaultKind) : ref;
  const label = formatSourceRef(parsed);
  const readOpts = { signal: options.signal, onProgress: options.onProgress, limits: options.limits };
  switch (parsed.kind) {
    case 'archive':
      return { ref: parsed, label, read: () => readImageArchiveFile(parsed.path, readOpts) };
    case 'oci-archive':
      return {
        ref: parsed,
        label,
        read: async () => onlyImage(await readImageArchiveFile(parsed.path, readOpts), parsed.tag, label),
      };
    case 'oci-dir': {
      const store = new OciLayoutStore(parsed.path, parsed.tag);
      return { ref: parsed, label, read: () => readBlobImage(store, options) };
    }
    case 'registry': {
      const store = registryStoreFor(parsed, options);
      return { ref: parsed, label, read: () => readBlobImage(store, options) };
    }
    case 'engine': {
      const conn = await connectEngine(options.engine);
      const info = await inspectImage(conn.docker, parsed.ref);
      return {
        ref: parsed,
        label: `${parsed.ref} on ${conn.host}`,
        read: async () => {
          // An image without layers cannot be exported: its record comes from inspect alone.
          const { layerless } = await splitLayerless(conn.docker, [info.id]);
          if (layerless.length > 0) return { images: layerless, layers: new Map() };
          const read = await readArchiveWithCache([info.id], (ids) => exportImages(conn.docker, ids), options.cache ?? null, readOpts);
          for (const image of read.contents.images) if (image.repoTags.length === 0) image.repoTags.push(...info.repoTags);
          return read.contents;
        },
      };
    }
  }
}

/** Reads a source in one call: what most callers want. */
export async function readImageSource(
  ref: string | SourceRef,
  options: OpenSourceOptions = {},
): Promise<ArchiveContents & { label: string }> {
  const source = await openImageSource(ref, options);
  return { ...(await source.read()), label: source.label };
}

/** An OCI archive's tag is kept for messages; the archive must then hold one image. */
function onlyImage(contents: ArchiveContents, tag: string | null, label: string): ArchiveContents {
  if (tag && contents.images.length > 1) {
    throw new StageScopeError(
      'usage',
      `${label} holds ${contents.images.length} images; StageScope reads an OCI archive whole.`,
      'Drop the :tag to see every image, or copy the one you want with skopeo.',
    );
  }
  if (tag) for (const image of contents.images) if (!image.repoTags.includes(tag)) image.repoTags.push(tag);
  return contents;
}
