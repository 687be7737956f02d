// Builders for the archive reader's tests: layer tars, `docker save` archives in both the
// Engine >= 25 (OCI) and <= 24 layouts, and a hand-written zstd frame (node 20 has no zstd
// compressor; raw blocks are valid zstd).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

export interface TarEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';
  content?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  linkname?: string;
  /** Extra PAX records (e.g. a `path` that overrides the name). */
  pax?: Record<string, string>;
  /** The header's mtime (whole seconds in the tar); the epoch when absent. */
  mtime?: Date;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function makeTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const type = e.type ?? 'file';
    const content = e.content === undefined ? undefined : Buffer.from(e.content);
    const header = {
      name: e.name,
      type,
      mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      mtime: e.mtime ?? new Date(0),
    };
    if (e.linkname !== undefined) Object.assign(header, { linkname: e.linkname });
    if (e.pax !== undefined) Object.assign(header, { pax: e.pax });
    if (type === 'file') pack.entry(header, content ?? Buffer.alloc(0));
    else pack.entry(header);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A zstd frame of raw (stored) blocks: magic, header with a 128 KiB window, blocks. */
export function zstdRawFrame(data: Buffer): Buffer {
  const BLOCK = 128 * 1024;
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3])];
  let off = 0;
  do {
    const size = Math.min(BLOCK, data.length - off);
    const last = off + size >= data.length ? 1 : 0;
    const h = (size << 3) | (0 << 1) | last; // block type 0 = raw
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), data.subarray(off, off + size));
    off += size;
  } while (off < data.length);
  return Buffer.concat(parts);
}

export interface FixtureLayer {
  /** The uncompressed layer tar. */
  tar: Buffer;
  /** How the blob is stored in the archive. */
  blob?: Buffer;
}

export interface FixtureImage {
  tags: string[];
  layers: FixtureLayer[];
  history?: { created_by: string; empty_layer?: boolean }[];
}

function configFor(img: FixtureImage): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/bin'] },
      rootfs: { type: 'layers', diff_ids: img.layers.map((l) => 'sha256:' + sha256(l.tar)) },
      history: img.history ?? img.layers.map((_, i) => ({ created_by: `step ${i}` })),
    }),
  );
}

/** Engine >= 25: blobs/sha256/*, index.json, manifest.json pointing into blobs, oci-layout. */
export async function ociArchive(images: FixtureImage[]): Promise<Buffer> {
  const blobs = new Map<string, Buffer>();
  const addBlob = (b: Buffer): string => {
    const hex = sha256(b);
    blobs.set(hex, b);
    return hex;
  };
  const manifest: unknown[] = [];
  const index: unknown[] = [];
  for (const img of images) {
    const configHex = addBlob(configFor(img));
    const layerHex = img.layers.map((l) => addBlob(l.blob ?? l.tar));
    const ociManifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: 'sha256:' + configHex, size: 1 },
        layers: layerHex.map((h) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: 'sha256:' + h, size: 1 })),
      }),
    );
    const mHex = addBlob(ociManifest);
    index.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: 'sha256:' + mHex,
      size: ociManifest.length,
      annotations: img.tags[0] ? { 'io.containerd.image.name': img.tags[0] } : {},
    });
    manifest.push({ Config: `blobs/sha256/${configHex}`, RepoTags: img.tags, Layers: layerHex.map((h) => `blobs/sha256/${h}`) });
  }
  const entries: TarEntry[] = [
    { name: 'blobs', type: 'directory' },
    { name: 'blobs/sha256', type: 'directory' },
    ...[...blobs.keys()].sort().map((hex) => ({ name: `blobs/sha256/${hex}`, content: blobs.get(hex)! })),
    { name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: index }) },
    { name: 'manifest.json', content: JSON.stringify(manifest) },
    { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
  ];
  return makeTar(entries);
}

/** Engine <= 24: <id>/layer.tar (repeats as symlinks), <config>.json, manifest.json. */
export async function legacyArchive(images: FixtureImage[]): Promise<Buffer> {
  const entries: TarEntry[] = [];
  const layerDirs = new Map<string, string>(); // diffId hex -> first <id> dir
  const manifest: unknown[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  let counter = 0;
  for (const img of images) {
    const config = configFor(img);
    const configHex = sha256(config);
    entries.push({ name: `${configHex}.json`, content: config });
    const layers: string[] = [];
    for (const l of img.layers) {
      const id = sha256(`layer-${counter++}`);
      const diffHex = sha256(l.tar);
      entries.push(
        { name: `${id}`, type: 'directory' },
        { name: `${id}/VERSION`, content: '1.0' },
        { name: `${id}/json`, content: `{"id":"${id}"}` },
      );
      const first = layerDirs.get(diffHex);
      if (first) entries.push({ name: `${id}/layer.tar`, type: 'symlink', linkname: `../${first}/layer.tar` });
      else {
        layerDirs.set(diffHex, id);
        entries.push({ name: `${id}/layer.tar`, content: l.blob ?? l.tar });
      }
      layers.push(`${id}/layer.tar`);
    }
    manifest.push({ Config: `${configHex}.json`, RepoTags: img.tags, Layers: layers });
    for (const t of img.tags) {
      const [repo, tag] = t.split(':') as [string, string];
      (repositories[repo] ??= {})[tag] = configHex;
    }
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  entries.push(
    { name: 'manifest.json', content: JSON.stringify(manifest) },
    { name: 'repositories', content: JSON.stringify(repositories) },
  );
  return makeTar(entries);
}

/** A Readable that yields `data` in chunks of `size` (exercises boundaries). */
export function chunked(data: Buffer, size = 7919): Readable {
  let off = 0;
  return new Readable({
    read() {
      if (off >= data.length) return this.push(null);
      this.push(data.subarray(off, (off += size)));
    },
  });
}

/** Every entry of a tar (files with their content), to re-pack an archive differently. */
export async function unpackTar(buf: Buffer): Promise<TarEntry[]> {
  const extract = tar.extract();
  const out: TarEntry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const parts: Buffer[] = [];
      for await (const d of entry as AsyncIterable<Buffer>) parts.push(d);
      const h = entry.header;
      out.push(
        h.type === 'file'
          ? { name: h.name, content: Buffer.concat(parts) }
          : { name: h.name, type: h.type as TarEntry['type'], linkname: h.linkname },
      );
    }
  })();
  extract.end(buf);
  await done;
  return out;
}
