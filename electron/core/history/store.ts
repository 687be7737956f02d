// The snapshot store: one small JSON file per snapshot, one folder per Dockerfile, beside the
// layer cache (`<cache>/history-v1/`). A snapshot keeps the per-layer file indexes it refers
// to pinned in `history-v1/layers/` (hard-linked from the layer cache when possible, written
// with the same codec otherwise), so a comparison still works after the images and the layer
// cache entries are gone. Bounded: the newest `perProject` snapshots of each Dockerfile, and
// the whole store under `maxBytes` (oldest snapshots dropped first, then unreferenced layers).
// Every write is atomic (temp file + rename). A corrupt or foreign-version file is set aside
// (renamed `*.corrupt`) with a warning; nothing here throws on a bad store.
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshot, SnapshotSummary } from '../../../shared/history.ts';
import { encodeLayer, CODEC_VERSION, OLDEST_CODEC_VERSION } from '../image/cache/codec.ts';
import { readLayerFile } from '../image/cache/layer-file.ts';
import { defaultCacheDir } from '../image/cache/location.ts';
import { writeFileAtomic } from '../files/write-atomic.ts';
import type { LayerIndex } from '../image/types.ts';

export const SNAPSHOT_VERSION = 1;
export const DEFAULT_SNAPSHOTS_PER_PROJECT = 20;
/** Snapshot files plus pinned layer indexes. */
export const DEFAULT_MAX_HISTORY_BYTES = 1024 * 1024 * 1024;

const SNAPSHOT_FILE = /^(\d{8}T\d{6}\d{3}Z-[0-9a-f]{6})\.json$/;
const LAYER_FILE = /^sha256-([0-9a-f]{64})\.json$/;

export interface SnapshotStoreOptions {
  /** The cache root (defaultCacheDir() when absent); the store lives in `history-v1/` below it. */
  dir?: string;
  perProject?: number;
  maxBytes?: number;
  /** Where set-aside files and other trouble are reported (stderr in the CLI). */
  onWarning?: (message: string) => void;
}

/** The folder of one Dockerfile's snapshots: a digest of its absolute path. */
export function projectKey(dockerfile: string): string {
  return createHash('sha256').update(dockerfile).digest('hex').slice(0, 16);
}

export function snapshotSummary(s: Snapshot): SnapshotSummary {
  const final = s.stages.find((st) => st.index === s.targetIndex);
  return {
    id: s.id,
    time: s.time,
    target: s.target,
    finalSize: final?.size ?? 0,
    stages: s.stages.map((st) => ({ index: st.index, name: st.name, size: st.size })),
  };
}

function isSnapshot(doc: unknown): doc is Snapshot {
  const s = doc as Snapshot;
  return (
    typeof s === 'object' &&
    s !== null &&
    s.v === SNAPSHOT_VERSION &&
    typeof s.id === 'string' &&
    typeof s.time === 'string' &&
    typeof s.dockerfile === 'string' &&
    typeof s.target === 'string' &&
    Array.isArray(s.stages) &&
    s.stages.every(
      (st) => typeof st?.index === 'number' && Array.isArray(st.layers) && st.layers.every((l) => typeof l?.diffId === 'string'),
    )
  );
}

export function newSnapshotId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export class SnapshotStore {
  private constructor(
    readonly dir: string,
    private readonly cacheRoot: string,
    private readonly perProject: number,
    private readonly maxBytes: number,
    private readonly warn: (message: string) => void,
  ) {}

  static async open(opts: SnapshotStoreOptions = {}): Promise<SnapshotStore> {
    const root = opts.dir ?? defaultCacheDir();
    const dir = join(root, `history-v${SNAPSHOT_VERSION}`);
    const warn = opts.onWarning ?? (() => undefined);
    const info = await stat(dir).catch(() => null);
    if (info && !info.isDirectory()) {
      const aside = `${dir}.corrupt-${Date.now()}`;
      await rename(dir, aside).catch(() => rm(dir, { force: true }));
      warn(`The snapshot store ${dir} was not a folder; it was set aside as ${aside} and a new one started.`);
    }
    await mkdir(join(dir, 'layers'), { recursive: true });
    return new SnapshotStore(dir, root, opts.perProject ?? DEFAULT_SNAPSHOTS_PER_PROJECT, opts.maxBytes ?? DEFAULT_MAX_HISTORY_BYTES, warn);
  }

  private projectDir(dockerfile: string): string {
    return join(this.dir, projectKey(dockerfile));
  }

  private layerFile(diffId: string): string | null {
    const m = /^sha256:([0-9a-f]{64})$/.exec(diffId);
    return m ? join(this.dir, 'layers', `sha256-${m[1]}.json`) : null;
  }

  private async setAside(file: string, why: string): Promise<void> {
    await rename(file, `${file}.corrupt`).catch(() => rm(file, { force: true }).catch(() => undefined));
    this.warn(`The snapshot ${file} ${why}; it was set aside as ${file}.corrupt.`);
  }

  /**
   * Stores the snapshot and pins its layers. `layers` gives the indexes in memory (what the
   * analysis just read); a layer already pinned is not written again.
   */
  async record(snapshot: Snapshot, layers: (diffId: string) => LayerIndex | undefined): Promise<void> {
    for (const stage of snapshot.stages) {
      for (const l of stage.layers) await this.pin(l.diffId, () => layers(l.diffId));
    }
    const dir = this.projectDir(snapshot.dockerfile);
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, `${snapshot.id}.json`), JSON.stringify(snapshot));
    await this.enforceBounds(snapshot.id).catch((err) => this.warn(`The snapshot store could not be trimmed: ${(err as Error).message}`));
  }

  /** `layer` is asked for only when the cache's entry cannot be linked (it may have to be read). */
  private async pin(diffId: string, layer: () => LayerIndex | undefined): Promise<void> {
    const file = this.layerFile(diffId);
    if (!file || (await stat(file).catch(() => null))) return;
    // The layer cache's entry is the same codec: a hard link costs no space while both exist.
    const cached = join(this.cacheRoot, `layers-v${CODEC_VERSION}`, `sha256-${diffId.slice(7)}.json`);
    if (
      await link(cached, file).then(
        () => true,
        () => false,
      )
    )
      return;
    const index = layer();
    if (index) await writeFileAtomic(file, encodeLayer(index));
  }

  /** A pinned layer index, or null (absent or unreadable: an unreadable one is set aside). */
  async layer(diffId: string): Promise<LayerIndex | null> {
    const file = this.layerFile(diffId);
    if (!file) return null;
    // Pinned by an older StageScope too: a version 1 index has no mtimes, nothing else is missing.
    const layer = await readLayerFile(file, diffId, OLDEST_CODEC_VERSION).catch(() => undefined);
    if (layer === undefined) return null;
    if (!layer) await this.setAside(file, 'holds an unreadable layer index');
    return layer;
  }

  /** The snapshots of one Dockerfile, newest first; corrupt or foreign files are set aside. */
  async list(dockerfile: string): Promise<Snapshot[]> {
    return this.listDir(this.projectDir(dockerfile));
  }

  private async listDir(dir: string): Promise<Snapshot[]> {
    const names = await readdir(dir).catch(() => [] as string[]);
    const out: Snapshot[] = [];
    for (const name of names) {
      const m = SNAPSHOT_FILE.exec(name);
      if (!m) continue;
      const file = join(dir, name);
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) continue;
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        await this.setAside(file, 'is not valid JSON');
        continue;
      }
      if ((doc as { v?: unknown })?.v !== SNAPSHOT_VERSION) {
        await this.setAside(file, `has format version ${String((doc as { v?: unknown })?.v)}, this StageScope reads ${SNAPSHOT_VERSION}`);
        continue;
      }
      if (!isSnapshot(doc) || doc.id !== m[1]) {
        await this.setAside(file, 'is not a complete snapshot');
        continue;
      }
      out.push(doc);
    }
    return out.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  async get(dockerfile: string, id: string): Promise<Snapshot | null> {
    return (await this.list(dockerfile)).find((s) => s.id === id) ?? null;
  }

  /** A snapshot by id in any project's folder (a report or CI job may name one directly). */
  async find(id: string): Promise<Snapshot | null> {
    if (!/^\d{8}T\d{6}\d{3}Z-[0-9a-f]{6}$/.test(id)) return null;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (name === 'layers') continue;
      if (await stat(join(this.dir, name, `${id}.json`)).catch(() => null)) {
        return (await this.listDir(join(this.dir, name))).find((s) => s.id === id) ?? null;
      }
    }
    return null;
  }

  /** Keeps `perProject` snapshots per Dockerfile and the store under maxBytes; drops unpinned layers. */
  private async enforceBounds(keep: string): Promise<void> {
    const all: { file: string; id: string; size: number; snapshot: Snapshot }[] = [];
    for (const name of await readdir(this.dir)) {
      if (name === 'layers') continue;
      const dir = join(this.dir, name);
      if (!(await stat(dir).catch(() => null))?.isDirectory()) continue;
      const snaps = await this.listDir(dir);
      for (const [i, s] of snaps.entries()) {
        const file = join(dir, `${s.id}.json`);
        if (i >= this.perProject && s.id !== keep) {
          await rm(file, { force: true });
          continue;
        }
        all.push({ file, id: s.id, size: (await stat(file).catch(() => null))?.size ?? 0, snapshot: s });
      }
    }
    const layerSizes = new Map<string, number>();
    for (const name of await readdir(join(this.dir, 'layers'))) {
      const path = join(this.dir, 'layers', name);
      const m = LAYER_FILE.exec(name);
      const s = await stat(path).catch(() => null);
      if (!s) continue;
      if (!m) {
        if (name.includes('.tmp-') && Date.now() - s.mtimeMs > 3600_000) await rm(path, { force: true });
        continue;
      }
      layerSizes.set('sha256:' + m[1], s.size);
    }
    // Oldest first across all projects; the snapshot just written is never dropped.
    all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const refs = (list: typeof all) => new Set(list.flatMap((e) => e.snapshot.stages.flatMap((st) => st.layers.map((l) => l.diffId))));
    const total = (list: typeof all) => {
      const used = refs(list);
      let bytes = list.reduce((sum, e) => sum + e.size, 0);
      for (const [d, size] of layerSizes) if (used.has(d)) bytes += size;
      return bytes;
    };
    while (all.length > 1 && total(all) > this.maxBytes) {
      const i = all.findIndex((e) => e.id !== keep);
      if (i < 0) break;
      await rm(all[i].file, { force: true });
      all.splice(i, 1);
    }
    const used = refs(all);
    for (const d of layerSizes.keys()) if (!used.has(d)) await rm(this.layerFile(d)!, { force: true });
  }
}
