// Reads the first bytes of a few files straight from an image's layer tars (one `docker save`
// stream), so a rule can sniff content the image no longer shows: a key written in one RUN and
// removed in the next is gone from the merged tree but still in the lower layer. The analysis
// keeps only hashes, never contents; this reads only the wanted paths, hashes them to match the
// exact entry, keeps the first bytes in memory and never writes them anywhere.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type Dockerode from 'dockerode';
import tar from 'tar-stream';
import { exportImages } from '../docker/images.ts';
import { SNIFF_BYTES, sniffBlob } from '../image/archive/sniff.ts';
import { normalizeEntryPath } from '../image/archive/paths.ts';
import type { HeadReader } from './context.ts';

export const HEAD_BYTES = 4096;
/** Larger candidates are not read (a secret file is small); they stay a match by name. */
export const MAX_SNIFFED_FILE = 1024 * 1024;

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  for (;;) {
    const n = await rest.next();
    if (n.done) return;
    yield n.value;
  }
}

async function readEntry(stream: Readable, keep: number): Promise<{ head: Buffer; hash: string }> {
  const sha = createHash('sha256');
  const parts: Buffer[] = [];
  let got = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    sha.update(chunk);
    if (got < keep) parts.push(chunk.subarray(0, keep - got));
    got += chunk.length;
  }
  return { head: Buffer.concat(parts), hash: sha.digest('hex') };
}

/** Scans one layer tar for the wanted paths. */
async function scanLayer(source: AsyncIterable<Buffer>, paths: Set<string>, found: Map<string, Buffer>): Promise<void> {
  const inner = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    inner.on('entry', (header, stream, next) => {
      const path = normalizeEntryPath(header.name);
      if (header.type === 'file' && paths.has(path) && (header.size ?? 0) <= MAX_SNIFFED_FILE) {
        readEntry(stream as unknown as Readable, HEAD_BYTES).then(({ head, hash }) => {
          found.set(hash, head);
          next();
        }, reject);
      } else {
        stream.on('end', () => next());
        stream.resume();
      }
    });
    inner.on('finish', resolve);
    inner.on('error', reject);
  });
  Readable.from(source).pipe(inner);
  await done;
}

async function scanBlob(stream: Readable, paths: Set<string>, found: Map<string, Buffer>): Promise<void> {
  const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  while (head.length < SNIFF_BYTES) {
    const n = await it.next();
    if (n.done) break;
    head = Buffer.concat([head, n.value]);
  }
  const kind = sniffBlob(head);
  const rest = prepend(head, it);
  if (kind === 'tar') return scanLayer(rest, paths, found);
  if (kind === 'gzip') return scanLayer(Readable.from(rest).pipe(createGunzip()), paths, found);
  for await (const _ of rest) void _; // configs, manifests, zstd layers: not read
}

/** A HeadReader on the engine: exports the image once and reads the wanted files' heads. */
export function engineHeadReader(docker: Dockerode): HeadReader {
  return async (imageId, wanted) => {
    const found = new Map<string, Buffer>();
    if (wanted.length === 0) return found;
    const paths = new Set(wanted.map((w) => w.path));
    const archive = await exportImages(docker, [imageId]);
    const outer = tar.extract();
    await new Promise<void>((resolve, reject) => {
      outer.on('entry', (header, stream, next) => {
        if (header.type !== 'file' || !header.size) {
          stream.on('end', () => next());
          stream.resume();
          return;
        }
        scanBlob(stream as unknown as Readable, paths, found).then(() => next(), reject);
      });
      outer.on('finish', resolve);
      outer.on('error', reject);
      archive.on('error', reject);
      archive.pipe(outer);
    });
    const hashes = new Set(wanted.map((w) => w.hash));
    for (const h of [...found.keys()]) if (!hashes.has(h)) found.delete(h);
    return found;
  };
}
