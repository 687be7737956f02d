// Reading stage images through the persistent cache. An image whose config and every layer
// are cached is not exported at all (its id is its config's digest, so nothing can have
// changed); the others cross in one `docker save` stream in which cached layers are skipped
// unparsed. New layers and configs are stored for next time.
import type { Readable } from 'node:stream';
import { readImageArchive } from '../archive/index.ts';
import type { ArchiveContents, ImageRecord, ReadArchiveOptions } from '../types.ts';
import type { LayerCache } from './layer-cache.ts';

export interface CachedRead {
  contents: ArchiveContents;
  /** Layers parsed from the stream this time. */
  parsed: number;
  /** Layers taken from the cache. */
  fromCache: number;
  /** Images that had to be exported (the rest came whole from the cache). */
  exported: number;
}

type Options = Omit<ReadArchiveOptions, 'wantLayer'> & {
  /**
   * Images whose results the caller has already (a per-stage result cache): when such an image
   * is wholly cached its layers are not decoded here, only marked used; the caller reads them
   * with cache.getSync if a tree is ever asked for. Layers another image needs are decoded anyway.
   */
  defer?: (imageId: string) => boolean;
};

/**
 * @param ids image ids (`sha256:...`) to read.
 * @param exportImages opens one `docker save` stream of these ids. Called a second time, for
 *   all ids and without the cache, only when a cached entry turned out unreadable.
 */
export async function readArchiveWithCache(
  ids: string[],
  exportImages: (ids: string[]) => Promise<Readable>,
  cache: LayerCache | null,
  opts: Options = {},
): Promise<CachedRead> {
  const { defer, ...readOpts } = opts;
  const readAll = async (): Promise<CachedRead> => {
    const contents = await readImageArchive(await exportImages(ids), readOpts);
    return { contents, parsed: contents.layers.size, fromCache: 0, exported: ids.length };
  };
  if (!cache) return readAll();

  const whole: ImageRecord[] = [];
  const deferred = new Set<ImageRecord>();
  const toExport: string[] = [];
  for (const id of ids) {
    const config = await cache.getConfig(id);
    if (config && config.rootfs.diff_ids.every((d) => cache.has(d))) {
      const image = { id, repoTags: [], config, layers: [...config.rootfs.diff_ids] };
      whole.push(image);
      if (defer?.(id)) deferred.add(image);
    } else toExport.push(id);
  }
  const contents: ArchiveContents =
    toExport.length > 0
      ? await readImageArchive(await exportImages(toExport), { ...readOpts, wantLayer: (diffId) => !cache.has(diffId) })
      : { images: [], layers: new Map() };
  const parsed = [...contents.layers.values()];
  const exported = contents.images.slice();
  contents.images.push(...whole);
  let fromCache = 0;
  for (const image of contents.images) {
    if (deferred.has(image)) continue;
    for (const diffId of image.layers) {
      if (contents.layers.has(diffId)) continue;
      const layer = await cache.get(diffId);
      if (!layer) return store(cache, await readAll());
      contents.layers.set(diffId, layer);
      fromCache++;
    }
  }
  for (const image of deferred) for (const diffId of image.layers) if (!contents.layers.has(diffId)) cache.touch(diffId);
  for (const layer of parsed) await cache.put(layer);
  for (const image of exported) await cache.putConfig(image.id, image.config);
  await cache.prune().catch(() => undefined);
  return { contents, parsed: parsed.length, fromCache, exported: toExport.length };
}

async function store(cache: LayerCache, read: CachedRead): Promise<CachedRead> {
  for (const layer of read.contents.layers.values()) await cache.put(layer);
  for (const image of read.contents.images) await cache.putConfig(image.id, image.config);
  await cache.prune().catch(() => undefined);
  return read;
}
