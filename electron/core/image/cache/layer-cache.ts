// The persistent per-layer index: one file per layer, named by its diffId (content-addressed,
// so an entry never goes stale), written atomically (temp file + rename: a crash halfway
// leaves a temp file, never a truncated entry), bounded in total size (least recently used
// entries go first). Any trouble with the cache degrades to parsing the layer again.
import { createHash } from 'node:crypto';
import { rmSync, utimesSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageConfig, LayerIndex } from '../types.ts';
import { writeFileAtomic } from '../../files/write-atomic.ts';
import { CODEC_VERSION, encodeLayer } from './codec.ts';
import { readLayerFile, readLayerFileSync } from './layer-file.ts';
import { defaultCacheDir } from './location.ts';

export const DEFAULT_MAX_CACHE_BYTES = 512 * 1024 * 1024;
/** Temp files older than this belong to a writer that died. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const ENTRY = /^sha256-([0-9a-f]{64})\.json$/;
/** Image configs, by image id (the config's digest: content-addressed as well). */
const IMAGE_ENTRY = /^image-([0-9a-f]{64})\.json$/;
/** Results derived from layers (per-stage summaries, copy attributions), by a digest of their key. */
const RESULT_ENTRY = /^result-[a-z]+-([0-9a-f]{64})\.json$/;
/**
 * Bumped when what a result holds or how it is computed changes. Results live in the codec's
 * folder, so a new layer codec (a parser change) drops them too.
 */
const RESULT_VERSION = 1;

export interface LayerCacheOptions {
  /** The cache root (defaultCacheDir() when absent); entries live in a versioned subfolder. */
  dir?: string;
  maxBytes?: number;
}

/**
 * An older codec's folder is never read again (its entries lack fields this version records):
 * without this it would keep its up to maxBytes forever. The snapshot store pins layers by hard
 * link or copy, so its indexes survive.
 */
async function removeOlderVersions(root: string): Promise<void> {
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const m = /^layers-v(\d+)$/.exec(name);
    if (m && Number(m[1]) < CODEC_VERSION) await rm(join(root, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

export class LayerCache {
  private constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly known: Set<string>,
  ) {}

  static async open(opts: LayerCacheOptions = {}): Promise<LayerCache> {
    const root = opts.dir ?? defaultCacheDir();
    const dir = join(root, `layers-v${CODEC_VERSION}`);
    await mkdir(dir, { recursive: true });
    await removeOlderVersions(root);
    const known = new Set<string>();
    for (const name of await readdir(dir)) {
      const m = ENTRY.exec(name);
      if (m) known.add('sha256:' + m[1]);
    }
    return new LayerCache(dir, opts.maxBytes ?? DEFAULT_MAX_CACHE_BYTES, known);
  }

  /** Synchronous, from the listing made at open: what readImageArchive's wantLayer needs. */
  has(diffId: string): boolean {
    return this.known.has(diffId);
  }

  private file(diffId: string): string | null {
    const m = /^sha256:([0-9a-f]{64})$/.exec(diffId);
    return m ? join(this.dir, `sha256-${m[1]}.json`) : null;
  }

  /** The cached layer, or null (absent, unreadable or corrupt: a corrupt file is removed). */
  async get(diffId: string): Promise<LayerIndex | null> {
    const file = this.file(diffId);
    if (!file) return null;
    let layer: LayerIndex | null;
    try {
      layer = await readLayerFile(file, diffId);
    } catch {
      this.known.delete(diffId);
      return null;
    }
    if (!layer) {
      this.known.delete(diffId);
      await rm(file, { force: true }).catch(() => undefined);
      return null;
    }
    // mtime is the "last used" time the size bound evicts by.
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return layer;
  }

  /**
   * get() without awaiting, for trees built lazily after the analysis (a view asks for one).
   * Does not touch the entry: the analysis that deferred it already did (touch()).
   */
  getSync(diffId: string): LayerIndex | null {
    const file = this.file(diffId);
    if (!file) return null;
    let layer: LayerIndex | null;
    try {
      layer = readLayerFileSync(file, diffId);
    } catch {
      this.known.delete(diffId);
      return null;
    }
    if (!layer) {
      this.known.delete(diffId);
      try {
        rmSync(file, { force: true });
      } catch {
        // Removing it is only tidiness: the next analysis parses the layer again anyway.
      }
    }
    return layer;
  }

  /** Marks a layer as used without reading it (the size bound evicts least recently used first). */
  touch(diffId: string): void {
    const file = this.file(diffId);
    const now = new Date();
    if (file) {
      try {
        utimesSync(file, now, now);
      } catch {
        this.known.delete(diffId);
      }
    }
  }

  /**
   * A result stored by putResult under the same kind and key, or null (absent, another
   * version, another key, or refused by `valid`: such a file is removed and rebuilt).
   */
  async getResult<T>(kind: string, key: string, valid: (value: unknown) => value is T): Promise<T | null> {
    const file = this.resultFile(kind, key);
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      const doc = JSON.parse(text) as { v?: unknown; key?: unknown; value?: unknown };
      if (doc.v === RESULT_VERSION && doc.key === key && valid(doc.value)) {
        const now = new Date();
        await utimes(file, now, now).catch(() => undefined);
        return doc.value;
      }
    } catch {
      // Not JSON: removed below.
    }
    await rm(file, { force: true }).catch(() => undefined);
    return null;
  }

  async putResult(kind: string, key: string, value: unknown): Promise<void> {
    await this.writeAtomically(this.resultFile(kind, key), JSON.stringify({ v: RESULT_VERSION, key, value }));
  }

  private resultFile(kind: string, key: string): string {
    return join(this.dir, `result-${kind}-${createHash('sha256').update(key).digest('hex')}.json`);
  }

  async put(layer: LayerIndex): Promise<void> {
    const file = this.file(layer.diffId);
    if (!file || this.known.has(layer.diffId)) return;
    if (await this.writeAtomically(file, encodeLayer(layer))) this.known.add(layer.diffId);
  }

  /** An image config stored by putConfig, or null. */
  async getConfig(imageId: string): Promise<ImageConfig | null> {
    const file = this.imageFile(imageId);
    if (!file) return null;
    try {
      const doc = JSON.parse(await readFile(file, 'utf8')) as { v?: number; id?: string; config?: ImageConfig };
      const ids = doc.config?.rootfs?.diff_ids;
      if (doc.v !== CODEC_VERSION || doc.id !== imageId || !Array.isArray(ids)) return null;
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return doc.config!;
    } catch {
      return null;
    }
  }

  async putConfig(imageId: string, config: ImageConfig): Promise<void> {
    const file = this.imageFile(imageId);
    if (!file) return;
    await this.writeAtomically(file, JSON.stringify({ v: CODEC_VERSION, id: imageId, config }));
  }

  private imageFile(imageId: string): string | null {
    const m = /^sha256:([0-9a-f]{64})$/.exec(imageId);
    return m ? join(this.dir, `image-${m[1]}.json`) : null;
  }

  /** A write that fails (read-only or full disk) only costs speed: false, nothing thrown. */
  private writeAtomically(file: string, text: string | Iterable<Uint8Array>): Promise<boolean> {
    return writeFileAtomic(file, text).then(
      () => true,
      () => false,
    );
  }

  /** Removes least recently used entries until the cache fits maxBytes, and dead temp files. */
  async prune(): Promise<void> {
    const entries: { path: string; size: number; used: number; diffId: string | null }[] = [];
    const now = Date.now();
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const path = join(this.dir, name);
      const s = await stat(path).catch(() => null);
      if (!s) continue;
      const m = ENTRY.exec(name);
      if (!m && (IMAGE_ENTRY.test(name) || RESULT_ENTRY.test(name))) {
        entries.push({ path, size: s.size, used: s.mtimeMs, diffId: null });
        continue;
      }
      if (!m) {
        if (name.includes('.tmp-') && now - s.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true }).catch(() => undefined);
        continue;
      }
      entries.push({ path, size: s.size, used: s.mtimeMs, diffId: 'sha256:' + m[1] });
    }
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    entries.sort((a, b) => a.used - b.used);
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      await rm(e.path, { force: true }).catch(() => undefined);
      if (e.diffId) this.known.delete(e.diffId);
      total -= e.size;
    }
  }
}
