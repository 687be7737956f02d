// Writes a `docker save` archive (OCI layout) whose one layer holds a million entries, streamed
// to disk: tar headers are stamped from a template (no per-entry library call), hashed and
// gzipped on the way, so the test never holds the layer in memory.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

function octal(buf: Buffer, offset: number, length: number, value: number): void {
  buf.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

function headerTemplate(typeflag: '0' | '5', mode: number): Buffer {
  const h = Buffer.alloc(512);
  octal(h, 100, 8, mode);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, 0);
  octal(h, 136, 12, 0);
  h.write(typeflag, 156, 1, 'ascii');
  h.write('ustar\0' + '00', 257, 8, 'ascii');
  return h;
}

/** Sum of the header bytes with the checksum field read as spaces. */
function baseChecksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum;
}

/** Headers of `dirs` folders each holding `perDir` empty files, then the end-of-archive blocks. */
function* manyEntriesTar(dirs: number, perDir: number): Generator<Buffer> {
  const templates = { dir: headerTemplate('5', 0o755), file: headerTemplate('0', 0o644) };
  const bases = { dir: baseChecksum(templates.dir), file: baseChecksum(templates.file) };
  const BATCH = 2048;
  let block = Buffer.alloc(BATCH * 512);
  let used = 0;
  const stamp = (kind: 'dir' | 'file', name: string) => {
    const h = block.subarray(used * 512, used * 512 + 512);
    templates[kind].copy(h);
    const n = h.write(name, 0, 100, 'ascii');
    let sum = bases[kind];
    for (let i = 0; i < n; i++) sum += h[i];
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
    used++;
  };
  for (let d = 0; d < dirs; d++) {
    for (let f = -1; f < perDir; f++) {
      if (f < 0) stamp('dir', `d${d}/`);
      else stamp('file', `d${d}/f${f}`);
      if (used === BATCH) {
        yield block;
        block = Buffer.alloc(BATCH * 512);
        used = 0;
      }
    }
  }
  yield Buffer.concat([block.subarray(0, used * 512), Buffer.alloc(1024)]);
}

export interface BigArchive {
  path: string;
  entries: number;
  layerBytes: number;
}

/** Writes the archive to `path` (using `path + '.layer.gz'` on the way); returns its figures. */
export async function writeManyEntriesArchive(path: string, dirs: number, perDir: number): Promise<BigArchive> {
  const layerPath = `${path}.layer.gz`;
  const diffHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let layerBytes = 0;
  const source = Readable.from(
    (function* () {
      for (const chunk of manyEntriesTar(dirs, perDir)) {
        diffHash.update(chunk);
        layerBytes += chunk.length;
        yield chunk;
      }
    })(),
  );
  const hashOut = async function* (input: AsyncIterable<Buffer>) {
    for await (const c of input) {
      blobHash.update(c);
      yield c;
    }
  };
  await pipeline(source, createGzip({ level: 1 }), hashOut, createWriteStream(layerPath));
  const diffId = diffHash.digest('hex');
  const blob = blobHash.digest('hex');
  const blobSize = (await stat(layerPath)).size;

  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
      history: [{ created_by: 'many entries' }],
    }),
  );
  const configHex = createHash('sha256').update(config).digest('hex');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${configHex}`, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${blob}`, size: blobSize }],
    }),
  );
  const manifestHex = createHash('sha256').update(manifest).digest('hex');
  const pack = tar.pack();
  const out = pipeline(pack, createWriteStream(path));
  const add = (name: string, content: Buffer) =>
    new Promise<void>((res, rej) => pack.entry({ name }, content, (e) => (e ? rej(e) : res())));
  await add(`blobs/sha256/${configHex}`, config);
  await new Promise<void>((res, rej) => {
    const entry = pack.entry({ name: `blobs/sha256/${blob}`, size: blobSize }, (e) => (e ? rej(e) : res()));
    createReadStream(layerPath).pipe(entry);
  });
  await add(`blobs/sha256/${manifestHex}`, manifest);
  await add(
    'index.json',
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: `sha256:${manifestHex}`,
            size: manifest.length,
            annotations: { 'io.containerd.image.name': 'stagescope-test/many:1' },
          },
        ],
      }),
    ),
  );
  await add(
    'manifest.json',
    Buffer.from(
      JSON.stringify([{ Config: `blobs/sha256/${configHex}`, RepoTags: ['stagescope-test/many:1'], Layers: [`blobs/sha256/${blob}`] }]),
    ),
  );
  pack.finalize();
  await out;
  return { path, entries: dirs * (perDir + 1), layerBytes };
}
