// A synchronous push reader of one uncompressed tar (a layer): headers are decoded as bytes
// arrive and an entry's content is handed over in place, as subarrays of the written chunks.
// Why not tar-stream here: it makes a stream, listeners and microtasks for every entry, which
// was most of the parse CPU of a layer of 64k small files (BENCHMARKS.md, round 6). What it
// accepts follows tar-stream's extract: ustar and GNU headers (others refused), the checksum,
// octal and base-256 numbers, GNU long names and link names, PAX records (global ones merged
// into the next local set), a directory's size ignored, all-zero blocks skipped.

export interface TarHeader {
  name: string;
  /** tar-stream's names: 'file', 'directory', 'symlink', 'link', ...; null for unknown typeflags. */
  type: string | null;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Whole seconds from the header (NaN when unreadable); a PAX `mtime` record is in `pax`. */
  mtime: number;
  linkname: string | null;
  /** The entry's PAX records (with the global ones), or null when it had none of its own. */
  pax: Record<string, string> | null;
}

export interface TarSink {
  /** One entry's header; true asks for its content through data() and done(). */
  entry(header: TarHeader): boolean;
  data(chunk: Buffer): void;
  done(): void;
}

/** Like tar-stream: a longer long-name or PAX block is refused rather than buffered. */
const MAX_LONG_HEADER = 4 * 1024 * 1024;
const BLOCK = 512;

/** What the next bytes are. */
const HEADER = 0;
const DATA = 1;
const PADDING = 2;
const LONG = 3;

const TYPES: Record<number, string> = {
  0: 'file',
  1: 'link',
  2: 'symlink',
  3: 'character-device',
  4: 'block-device',
  5: 'directory',
  6: 'fifo',
  7: 'contiguous-file',
  72: 'pax-header',
  55: 'pax-global-header',
  27: 'gnu-long-link-path',
  28: 'gnu-long-path',
  30: 'gnu-long-path',
};

const padding = (size: number) => (size % BLOCK === 0 ? 0 : BLOCK - (size % BLOCK));

export class TarReader {
  private state = HEADER;
  /** A header that straddles two chunks. */
  private readonly head = Buffer.allocUnsafe(BLOCK);
  private headLen = 0;
  private remaining = 0;
  private pad = 0;
  private wanted = false;
  private long: { type: string; buf: Buffer; filled: number } | null = null;
  private longPath: string | null = null;
  private longLink: string | null = null;
  private pax: Record<string, string> | null = null;
  private paxGlobal: Record<string, string> | null = null;

  constructor(private readonly sink: TarSink) {}

  /** Throws an Error for bytes that are not a tar. */
  write(chunk: Buffer): void {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      if (this.state === DATA) {
        const n = Math.min(this.remaining, len - pos);
        if (this.wanted) this.sink.data(chunk.subarray(pos, pos + n));
        pos += n;
        this.remaining -= n;
        if (this.remaining === 0) {
          if (this.wanted) this.sink.done();
          this.state = this.pad > 0 ? PADDING : HEADER;
        }
      } else if (this.state === PADDING) {
        const n = Math.min(this.pad, len - pos);
        pos += n;
        this.pad -= n;
        if (this.pad === 0) this.state = HEADER;
      } else if (this.state === LONG) {
        const long = this.long!;
        const n = Math.min(long.buf.length - long.filled, len - pos);
        chunk.copy(long.buf, long.filled, pos, pos + n);
        long.filled += n;
        pos += n;
        if (long.filled === long.buf.length) {
          this.applyLong(long.type, long.buf);
          this.long = null;
          this.pad = padding(long.buf.length);
          this.state = this.pad > 0 ? PADDING : HEADER;
        }
      } else if (this.headLen === 0 && len - pos >= BLOCK) {
        this.header(chunk, pos);
        pos += BLOCK;
      } else {
        const n = Math.min(BLOCK - this.headLen, len - pos);
        chunk.copy(this.head, this.headLen, pos, pos + n);
        this.headLen += n;
        pos += n;
        if (this.headLen === BLOCK) {
          this.headLen = 0;
          this.header(this.head, 0);
        }
      }
    }
  }

  /** Throws when the tar stops inside an entry or a header. */
  end(): void {
    if (this.state !== HEADER || this.headLen !== 0) throw new Error('Unexpected end of data');
  }

  private header(buf: Buffer, at: number): void {
    let sum = 8 * 32;
    for (let i = at; i < at + 148; i++) sum += buf[i];
    for (let i = at + 156; i < at + BLOCK; i++) sum += buf[i];
    if (sum === 8 * 32) return; // an all-zero block (end of archive, or padding between tars)
    if (sum !== octal(buf, at + 148, 8)) throw new Error('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?');
    const ustar = isMagic(buf, at, 0x00);
    if (!ustar && !(isMagic(buf, at, 0x20) && buf[at + 263] === 0x20 && buf[at + 264] === 0))
      throw new Error('Invalid tar header: unknown format.');
    let typeflag = buf[at + 156] === 0 ? 0 : buf[at + 156] - 48;
    let name = str(buf, at, 100);
    if (ustar && buf[at + 345] !== 0) name = str(buf, at + 345, 155) + '/' + name;
    // Old tars mark folders by a trailing slash only.
    if (typeflag === 0 && name.endsWith('/')) typeflag = 5;
    const type = TYPES[typeflag] ?? null;
    let size = octal(buf, at + 124, 12);
    if (type === 'pax-header' || type === 'pax-global-header' || type === 'gnu-long-path' || type === 'gnu-long-link-path') {
      if (!(size >= 0)) throw new Error('Invalid header');
      if (size > MAX_LONG_HEADER) throw new Error('Header exceeds max size');
      if (size === 0) this.applyLong(type, Buffer.alloc(0));
      else {
        this.long = { type, buf: Buffer.allocUnsafe(size), filled: 0 };
        this.state = LONG;
      }
      return;
    }
    let linkname = buf[at + 157] === 0 ? null : str(buf, at + 157, 100);
    let pax: Record<string, string> | null = null;
    if (this.longPath !== null) name = this.longPath;
    if (this.longLink !== null) linkname = this.longLink;
    this.longPath = this.longLink = null;
    if (this.pax) {
      pax = this.pax;
      this.pax = null;
      if (pax.path) name = pax.path;
      if (pax.linkpath) linkname = pax.linkpath;
      if (pax.size) size = parseInt(pax.size, 10);
    }
    if (!(size >= 0)) throw new Error('Invalid header');
    const header: TarHeader = {
      name,
      type,
      mode: octal(buf, at + 100, 8),
      uid: octal(buf, at + 108, 8),
      gid: octal(buf, at + 116, 8),
      size,
      mtime: octal(buf, at + 136, 12),
      linkname,
      pax,
    };
    const hasData = size > 0 && type !== 'directory';
    this.wanted = this.sink.entry(header) && hasData;
    if (!hasData) return;
    this.remaining = size;
    this.pad = padding(size);
    this.state = DATA;
  }

  private applyLong(type: string, buf: Buffer): void {
    if (type === 'gnu-long-path') this.longPath = str(buf, 0, buf.length);
    else if (type === 'gnu-long-link-path') this.longLink = str(buf, 0, buf.length);
    else if (type === 'pax-global-header') this.paxGlobal = decodePax(buf);
    else this.pax = this.paxGlobal === null ? decodePax(buf) : { ...this.paxGlobal, ...decodePax(buf) };
  }
}

function isMagic(buf: Buffer, at: number, last: number): boolean {
  const m = at + 257;
  return buf[m] === 0x75 && buf[m + 1] === 0x73 && buf[m + 2] === 0x74 && buf[m + 3] === 0x61 && buf[m + 4] === 0x72 && buf[m + 5] === last;
}

/** A NUL-terminated UTF-8 field. */
function str(buf: Buffer, at: number, length: number): string {
  let end = at;
  const max = at + length;
  while (end < max && buf[end] !== 0) end++;
  return buf.toString('utf8', at, end);
}

/**
 * A numeric field as tar-stream reads it: base-256 when the high bit is set, otherwise octal
 * after leading spaces and NULs, up to the first space (NaN when no octal digit starts it).
 */
function octal(buf: Buffer, at: number, length: number): number {
  const end = at + length;
  if (buf[at] & 0x80) return base256(buf, at, end);
  let i = at;
  while (i < end && buf[i] === 32) i++;
  let stop = i;
  while (stop < end && buf[stop] !== 32) stop++;
  while (i < stop && buf[i] === 0) i++;
  if (i === stop) return 0;
  let n = 0;
  let digits = 0;
  for (let j = i; j < stop; j++) {
    const c = buf[j] - 48;
    if (c < 0 || c > 7) break;
    n = n * 8 + c;
    digits++;
  }
  // Signs or other leading characters: parseInt's own rules, as tar-stream has them.
  return digits > 0 ? n : parseInt(buf.toString('latin1', i, stop), 8);
}

function base256(buf: Buffer, at: number, end: number): number {
  const positive = buf[at] === 0x80;
  if (!positive && buf[at] !== 0xff) return NaN;
  let sum = 0;
  for (let i = at + 1; i < end; i++) sum = sum * 256 + (positive ? buf[i] : 0xff - buf[i]);
  return positive ? sum : -sum;
}

/** `LEN key=value\n` records, as tar-stream decodes them (a malformed record ends the set). */
function decodePax(buf: Buffer): Record<string, string> {
  const result: Record<string, string> = {};
  let rest = buf;
  while (rest.length) {
    let i = 0;
    while (i < rest.length && rest[i] !== 32) i++;
    const len = parseInt(rest.toString('utf8', 0, i), 10);
    if (!len) return result;
    const record = rest.toString('utf8', i + 1, len - 1);
    const eq = record.indexOf('=');
    if (eq === -1) return result;
    result[record.slice(0, eq)] = record.slice(eq + 1);
    rest = rest.subarray(len);
  }
  return result;
}
