// A LayerIndex on disk. Version 3 is binary and streams both ways: the encoder yields chunks of
// about 1 MB as the file is written and the decoder takes the file in chunks, so a 500k-entry
// layer never exists as one string or buffer (the JSON of versions 1-2 did, twice, at the
// moment every entry was also in memory: the peak of a big image's analysis). A sha256 is its
// 32 raw bytes here, not 64 hex characters. The version and diffId travel inside the file, so a
// stale or misplaced file is refused rather than trusted. The layer cache reads only its own
// version (its folder is named by it); the snapshot store still reads the JSON of versions
// 1-2 that it pinned earlier (codec-json.ts). Files keep their `.json` names from then:
// readers tell the forms apart by the first bytes.
//
// Layout: "SSLI", u32 version, u32 length + JSON header (diffId, size, tarBytes, whiteouts,
// opaqueDirs, count), then `count` records: u8 flags (type code in bits 0-2, hash, mtime and
// link present in bits 3-5), u32 length + UTF-8 path, f64 size, u32 mode, f64 uid, f64 gid,
// [f64 mtime], [u32 length + UTF-8 link target], [32-byte sha256]. Little-endian.
import type { EntryType, FileMeta } from '../../../../shared/model.ts';
import type { LayerIndex } from '../types.ts';
import { decodeJsonLayer, LAST_JSON_VERSION } from './codec-json.ts';
import { primeFileMetaShape, small } from '../file-meta.ts';

export const CODEC_VERSION = 3;
/** The oldest version decodeLayer can read when asked to (the snapshot store's pinned layers). */
export const OLDEST_CODEC_VERSION = 1;

const MAGIC = 0x494c5353; // "SSLI" read as a little-endian u32
const CHUNK = 1024 * 1024;
const TYPES: EntryType[] = ['file', 'dir', 'symlink', 'hardlink', 'char', 'block', 'fifo'];
const TYPE_CODES = new Map(TYPES.map((t, i) => [t, i]));
const HAS_HASH = 8;
const HAS_MTIME = 16;
const HAS_LINK = 32;
/** flags, path length, size, mode, uid, gid, mtime, link length, hash. */
const FIXED_MAX = 1 + 4 + 8 + 4 + 8 + 8 + 8 + 4 + 32;

interface Header {
  diffId: string;
  size: number;
  tarBytes: number;
  whiteouts: string[];
  opaqueDirs: string[];
  count: number;
}

/** The layer as chunks, each made when the writer asks for it. Throws on a hash that is not sha256 hex. */
export function* encodeLayer(layer: LayerIndex): Generator<Buffer> {
  const { diffId, size, tarBytes, whiteouts, opaqueDirs, entries } = layer;
  const header = Buffer.from(JSON.stringify({ diffId, size, tarBytes, whiteouts, opaqueDirs, count: entries.length } satisfies Header));
  const start = Buffer.alloc(12);
  start.writeUInt32LE(MAGIC, 0);
  start.writeUInt32LE(CODEC_VERSION, 4);
  start.writeUInt32LE(header.length, 8);
  yield Buffer.concat([start, header]);
  let buf = Buffer.allocUnsafe(CHUNK);
  let at = 0;
  for (const m of entries) {
    // 3 bytes per UTF-16 unit is the most UTF-8 can take.
    const most = FIXED_MAX + 3 * (m.path.length + (m.linkTarget?.length ?? 0));
    if (at + most > buf.length) {
      if (at > 0) yield buf.subarray(0, at);
      buf = Buffer.allocUnsafe(Math.max(CHUNK, most));
      at = 0;
    }
    at = writeEntry(buf, at, m);
  }
  if (at > 0) yield buf.subarray(0, at);
}

function writeEntry(buf: Buffer, start: number, m: FileMeta): number {
  const code = TYPE_CODES.get(m.type);
  if (code === undefined) throw new Error(`entry type ${m.type} has no code`);
  const flags = code | (m.hash !== null ? HAS_HASH : 0) | (m.mtime !== undefined ? HAS_MTIME : 0) | (m.linkTarget !== null ? HAS_LINK : 0);
  buf[start] = flags;
  let at = writeString(buf, start + 1, m.path);
  at = buf.writeDoubleLE(m.size, at);
  at = buf.writeUInt32LE(m.mode, at);
  at = buf.writeDoubleLE(m.uid, at);
  at = buf.writeDoubleLE(m.gid, at);
  if (m.mtime !== undefined) at = buf.writeDoubleLE(m.mtime, at);
  if (m.linkTarget !== null) at = writeString(buf, at, m.linkTarget);
  if (m.hash !== null) {
    if (m.hash.length !== 64 || buf.write(m.hash, at, 32, 'hex') !== 32) throw new Error(`${m.path} has a hash that is not sha256 hex`);
    at += 32;
  }
  return at;
}

function writeString(buf: Buffer, at: number, s: string): number {
  const n = buf.write(s, at + 4, 'utf8');
  buf.writeUInt32LE(n, at);
  return at + 4 + n;
}

/**
 * Takes a file's bytes in chunks of any size. A JSON file (versions 1-2) is gathered and parsed
 * whole at the end: only the snapshot store's old pins are in that form.
 */
export class LayerDecoder {
  private rest: Buffer = Buffer.alloc(0);
  private header: Header | null = null;
  private entries: FileMeta[] = [];
  private json: Buffer[] | null = null;
  private failed = false;

  constructor(
    private readonly diffId: string,
    private readonly oldest = CODEC_VERSION,
  ) {
    primeFileMetaShape();
  }

  /** False once the bytes are known not to be this layer (stop reading). */
  push(chunk: Uint8Array): boolean {
    if (this.failed) return false;
    if (this.json) {
      this.json.push(Buffer.from(chunk));
      return true;
    }
    const buf: Buffer =
      this.rest.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.rest, chunk]);
    if (this.header === null && buf.length > 0 && buf[0] === 0x7b /* { */) {
      if (this.oldest > LAST_JSON_VERSION) return this.fail();
      this.json = [Buffer.from(buf)];
      return true;
    }
    let at = 0;
    try {
      if (this.header === null) {
        const read = this.readHeader(buf);
        if (read === null) return this.fail();
        if (read === 0) {
          this.rest = Buffer.from(buf);
          return true;
        }
        at = read;
      }
      while (this.entries.length < this.header!.count) {
        const next = readEntry(buf, at, this.entries);
        if (next < 0) break;
        at = next;
      }
    } catch {
      return this.fail();
    }
    if (this.entries.length === this.header!.count && at < buf.length) return this.fail(); // bytes after the last entry
    // A copy: the remainder must not keep the caller's whole chunk alive.
    this.rest = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
    return true;
  }

  /** The layer, or null when the bytes were not a whole layer with this diffId of an accepted version. */
  end(): LayerIndex | null {
    if (this.failed) return null;
    if (this.json) return decodeJsonLayer(Buffer.concat(this.json).toString('utf8'), this.diffId, this.oldest);
    const h = this.header;
    if (!h || this.entries.length !== h.count || this.rest.length > 0) return null;
    return {
      diffId: this.diffId,
      entries: this.entries,
      whiteouts: h.whiteouts,
      opaqueDirs: h.opaqueDirs,
      size: h.size,
      tarBytes: h.tarBytes,
    };
  }

  private fail(): false {
    this.failed = true;
    this.entries = [];
    this.rest = Buffer.alloc(0);
    return false;
  }

  /** Bytes the header took, 0 when more are needed, null when it is not an acceptable header. */
  private readHeader(buf: Buffer): number | null {
    if (buf.length < 12) return 0;
    if (buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== CODEC_VERSION) return null;
    const end = 12 + buf.readUInt32LE(8);
    if (buf.length < end) return 0;
    const h = JSON.parse(buf.toString('utf8', 12, end)) as Header | null;
    const isList = (l: unknown) => Array.isArray(l) && l.every((s) => typeof s === 'string');
    if (
      h?.diffId !== this.diffId ||
      !Number.isSafeInteger(h.count) ||
      h.count < 0 ||
      typeof h.size !== 'number' ||
      typeof h.tarBytes !== 'number' ||
      !isList(h.whiteouts) ||
      !isList(h.opaqueDirs)
    ) {
      return null;
    }
    this.header = h;
    return end;
  }
}

/** Reads one entry at `start` into `out`: the offset after it, or -1 when the buffer ends first. Throws on a bad entry. */
function readEntry(buf: Buffer, start: number, out: FileMeta[]): number {
  const len = buf.length;
  if (start + 5 > len) return -1;
  const flags = buf[start]!;
  const type = TYPES[flags & 7];
  if (type === undefined || flags > 63) throw new Error('bad entry flags');
  let at = start + 1;
  const pathEnd = at + 4 + buf.readUInt32LE(at);
  if (pathEnd + 28 > len) return -1;
  const path = buf.toString('utf8', at + 4, pathEnd);
  at = pathEnd;
  const size = small(buf.readDoubleLE(at));
  const mode = buf.readUInt32LE(at + 8);
  const uid = small(buf.readDoubleLE(at + 12));
  const gid = small(buf.readDoubleLE(at + 20));
  at += 28;
  let mtime: number | undefined;
  if (flags & HAS_MTIME) {
    if (at + 8 > len) return -1;
    mtime = small(buf.readDoubleLE(at));
    at += 8;
  }
  let linkTarget: string | null = null;
  if (flags & HAS_LINK) {
    if (at + 4 > len) return -1;
    const end = at + 4 + buf.readUInt32LE(at);
    if (end > len) return -1;
    linkTarget = buf.toString('utf8', at + 4, end);
    at = end;
  }
  let hash: string | null = null;
  if (flags & HAS_HASH) {
    if (at + 32 > len) return -1;
    hash = buf.toString('hex', at, at + 32);
    at += 32;
  }
  // One literal, the parser's property order: decoded and parsed entries share one object shape.
  out.push({ path, type, size, mode, uid, gid, linkTarget, hash, mtime });
  return at;
}

/** A whole file's bytes (or a JSON text) decoded in one call. */
export function decodeLayer(data: Uint8Array | string, diffId: string, oldest = CODEC_VERSION): LayerIndex | null {
  const d = new LayerDecoder(diffId, oldest);
  d.push(typeof data === 'string' ? Buffer.from(data) : data);
  return d.end();
}
