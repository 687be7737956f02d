// Reads one image from a content-addressed blob store (an OCI layout folder or a registry):
// index -> platform's manifest -> config -> layers. Layers the persistent cache knows (by the
// config's diff_ids) are not fetched at all; the others stream once through the archive
// reader's sniff/decompress/parse path, straight from the source, with no temp file.
import type { Readable } from 'node:stream';
import { StageScopeError } from '../../../shared/errors.ts';
import { readOuterEntry, type EntryContext } from '../image/archive/outer-entry.ts';
import { resolveLimits } from '../image/archive/limits.ts';
import type { ArchiveContents, ImageConfig, LayerBlob, LayerIndex } from '../image/types.ts';
import { digestOf } from './digest.ts';
import { DOCKER_SCHEMA1, isIndexType } from './media-types.ts';
import { choosePlatform } from './platform.ts';
import type { Descriptor, OpenSourceOptions } from './types.ts';

export interface RootDocument {
  bytes: Buffer;
  mediaType?: string;
  /** Names the document in messages. */
  where: string;
  /** Tags to report for the image (e.g. the reference's tag). */
  repoTags: string[];
}

export interface BlobStore {
  root(): Promise<RootDocument>;
  /** A manifest or config by descriptor, its digest verified. */
  readSmall(d: Descriptor, what: string): Promise<Buffer>;
  /** A layer blob as a stream that fails when its bytes do not match the digest. */
  openBlob(d: Descriptor, what: string): Promise<Readable>;
  /** Frees connections; called once the image is read or has failed. */
  close?(): Promise<void>;
}

interface ManifestDoc {
  schemaVersion?: number;
  mediaType?: string;
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
}

function parseJson<T>(bytes: Buffer, where: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    throw new StageScopeError('archive', `${where} is not valid JSON: ${(err as Error).message}.`, null);
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Follows indexes down to one image manifest (platform chosen by opts.platform or the host's). */
export async function resolveManifest(
  store: BlobStore,
  opts: Pick<OpenSourceOptions, 'platform'>,
): Promise<{ manifest: ManifestDoc; where: string; repoTags: string[] }> {
  const root = await store.root();
  let doc = parseJson<ManifestDoc>(root.bytes, root.where);
  let mediaType = root.mediaType ?? doc.mediaType;
  let where = root.where;
  for (let depth = 0; isIndexType(mediaType, doc); depth++) {
    if (depth >= 4) throw new StageScopeError('archive', `${capital(where)} nests image indexes too deeply.`, null);
    const chosen = choosePlatform(doc.manifests ?? [], opts.platform, capital(where));
    where = `the manifest ${chosen.digest.slice(0, 19)}… of ${where}`;
    doc = parseJson<ManifestDoc>(await store.readSmall(chosen, where), where);
    mediaType = chosen.mediaType ?? doc.mediaType;
  }
  if ((mediaType && DOCKER_SCHEMA1.includes(mediaType)) || doc.schemaVersion === 1) {
    throw new StageScopeError(
      'archive',
      `${capital(where)} is a Docker schema 1 manifest, which StageScope does not read.`,
      'Push the image again with a current docker or buildx (schema 2 / OCI).',
    );
  }
  if (!doc.config?.digest || !Array.isArray(doc.layers)) {
    throw new StageScopeError('archive', `${capital(where)} is not an image manifest (no config or layers).`, null);
  }
  return { manifest: doc, where, repoTags: root.repoTags };
}

export async function readBlobImage(store: BlobStore, opts: OpenSourceOptions): Promise<ArchiveContents> {
  try {
    return await readImage(store, opts);
  } finally {
    await store.close?.();
  }
}

async function readImage(store: BlobStore, opts: OpenSourceOptions): Promise<ArchiveContents> {
  const { manifest, where, repoTags } = await resolveManifest(store, opts);
  const configBytes = await store.readSmall(manifest.config!, `the config of ${where}`);
  const config = parseJson<ImageConfig>(configBytes, `the config of ${where}`);
  const diffIds = config?.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || !diffIds.every((d) => typeof d === 'string')) {
    throw new StageScopeError('archive', `The config of ${where} has no rootfs.diff_ids list.`, null);
  }
  const descriptors = manifest.layers!;
  if (descriptors.length !== diffIds.length) {
    throw new StageScopeError(
      'archive',
      `${capital(where)} lists ${descriptors.length} layers but its config has ${diffIds.length} diff_ids.`,
      null,
    );
  }
  const id = digestOf(configBytes);
  const layers = new Map<string, LayerIndex>();
  const blobs = new Map<string, LayerBlob>();
  const ctx: EntryContext = {
    limits: resolveLimits(opts.limits),
    entryCount: 0,
    active: null,
    onLayerDone: () => undefined,
  };
  let bytes = 0;
  let layersDone = 0;
  for (let i = 0; i < descriptors.length; i++) {
    const diffId = diffIds[i]!;
    const { digest, size, mediaType } = descriptors[i]!;
    if (!blobs.has(diffId)) blobs.set(diffId, { digest, size, mediaType });
    if (opts.signal?.aborted) throw new StageScopeError('cancelled', 'Reading the image was cancelled.', null);
    if (layers.has(diffId)) continue;
    const cached = opts.cache?.has(diffId) ? await opts.cache.get(diffId) : null;
    const layer =
      cached ??
      (await readLayer(store, descriptors[i]!, `layer ${i + 1} of ${where}`, ctx, opts, (n) => {
        bytes += n;
        opts.onProgress?.({ bytes, layersDone });
      }));
    if (layer.diffId !== diffId) {
      throw new StageScopeError(
        'archive',
        `Layer ${i + 1} of ${where} has content digest ${layer.diffId}, but its config expects ${diffId}.`,
        'The registry or layout holds a corrupt image.',
      );
    }
    if (!cached) await opts.cache?.put(layer);
    layers.set(diffId, layer);
    layersDone++;
    opts.onProgress?.({ bytes, layersDone });
  }
  if (opts.cache) await opts.cache.putConfig(id, config).catch(() => undefined);
  return { images: [{ id, repoTags, config, layers: [...diffIds] }], layers, blobs };
}

async function readLayer(
  store: BlobStore,
  d: Descriptor,
  what: string,
  ctx: EntryContext,
  opts: OpenSourceOptions,
  onBytes: (n: number) => void,
): Promise<LayerIndex> {
  const stream = await store.openBlob(d, what);
  const onAbort = (): void => {
    stream.destroy(new StageScopeError('cancelled', 'Reading the image was cancelled.', null));
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      onBytes(chunk.length);
      yield chunk;
    }
  }
  try {
    const record = await readOuterEntry(what, counted() as never, ctx, d.size);
    if (record.kind === 'layer') return record.layer;
    if (record.kind === 'failed') throw record.error;
    throw new StageScopeError('archive', `${capital(what)} is not a tar, gzip or zstd layer.`, null);
  } catch (err) {
    stream.destroy();
    if (err instanceof StageScopeError) throw err;
    throw new StageScopeError('archive', `${capital(what)} could not be read: ${(err as Error).message}.`, null);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
