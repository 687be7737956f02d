// readImageArchive with the persistent layer cache: layers already indexed are skipped while
// the export streams by (their bytes still cross, unparsed) and loaded from disk instead; new
// layers are parsed and stored for next time.
import type { Readable } from 'node:stream';
import { readImageArchive } from '../archive/index.ts';
import type { ArchiveContents, ReadArchiveOptions } from '../types.ts';
import type { LayerCache } from './layer-cache.ts';

export interface CachedRead {
  contents: ArchiveContents;
  /** Layers parsed from the stream this time. */
  parsed: number;
  /** Layers taken from the cache. */
  fromCache: number;
}

/**
 * @param openStream opens the export; called a second time only when a cached entry turned out
 *   unreadable after the export skipped its layer (then everything is read without the cache).
 */
export async function readArchiveWithCache(
  openStream: () => Promise<Readable>,
  cache: LayerCache | null,
  opts: Omit<ReadArchiveOptions, 'wantLayer'> = {},
): Promise<CachedRead> {
  const readAll = async (): Promise<CachedRead> => {
    const contents = await readImageArchive(await openStream(), opts);
    return { contents, parsed: contents.layers.size, fromCache: 0 };
  };
  if (!cache) return readAll();

  const contents = await readImageArchive(await openStream(), { ...opts, wantLayer: (diffId) => !cache.has(diffId) });
  const parsed = [...contents.layers.values()];
  let fromCache = 0;
  for (const image of contents.images) {
    for (const diffId of image.layers) {
      if (contents.layers.has(diffId)) continue;
      const layer = await cache.get(diffId);
      if (!layer) return store(cache, await readAll());
      contents.layers.set(diffId, layer);
      fromCache++;
    }
  }
  for (const layer of parsed) await cache.put(layer);
  await cache.prune().catch(() => undefined);
  return { contents, parsed: parsed.length, fromCache };
}

async function store(cache: LayerCache, read: CachedRead): Promise<CachedRead> {
  for (const layer of read.contents.layers.values()) await cache.put(layer);
  await cache.prune().catch(() => undefined);
  return read;
}
