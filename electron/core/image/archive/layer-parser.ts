// Parses one layer tar while it streams: every entry's metadata, a sha256 of each regular
// file's content, and the diffId (sha256 of the whole uncompressed tar, unless the archive
// names the layer by it). Nothing but the entry list is kept; chunks flow through to the
// hashes and are dropped.
import { createHash, hash as oneShotHash, type Hash } from 'node:crypto';
import type { EntryType, FileMeta } from '../../../../shared/model.ts';
import type { ArchiveLimits, LayerIndex } from '../types.ts';
import { corrupt, fatal } from './errors.ts';
import { normalizeEntryPath, pathDepth } from './paths.ts';
import { TarReader, type TarHeader } from './tar-reader.ts';
import { primeFileMetaShape, small } from '../file-meta.ts';
import { baseName, joinPath, parentPath } from '../../../../shared/paths.ts';

/** Shared by every layer of one archive. */
export interface ParseContext {
  limits: ArchiveLimits;
  entryCount: number;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const TYPES: Partial<Record<string, EntryType>> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'char',
  'block-device': 'block',
  fifo: 'fifo',
};

const PAX_TIME = /^-?\d{1,15}(\.\d+)?$/;
/** Seconds a JavaScript Date can hold (what tar-stream's header Date allowed). */
const MAX_SECONDS = 8.64e12;

/**
 * Seconds since the epoch: a PAX `mtime` record keeps fractions (and times the 11 octal digits
 * cannot hold); otherwise the header's whole seconds (octal or base-256).
 * A malformed record is not worth failing a layer over: the header's value is used.
 */
function mtimeOf(header: TarHeader): number {
  const record = header.pax?.mtime?.trim();
  if (record !== undefined && PAX_TIME.test(record)) return Number(record);
  return Number.isFinite(header.mtime) && Math.abs(header.mtime) <= MAX_SECONDS ? small(header.mtime) : 0;
}

export class LayerParser {
  /** Null when the archive names the layer: a second sha256 of every layer byte was ~7 % of an analysis' CPU. */
  private readonly digest: Hash | null;
  private readonly tar = new TarReader({
    entry: (header) => this.onEntry(header),
    data: (chunk) => this.onData(chunk),
    done: () => this.onDone(),
  });
  private readonly entries: FileMeta[] = [];
  private readonly whiteouts: string[] = [];
  private readonly opaqueDirs: string[] = [];
  private hardlinks: FileMeta[] | null = null;
  private contentBytes = 0;
  private tarBytes = 0;
  /** Zero bytes at the end of what was written so far: a complete tar ends with >= 1024. */
  private trailingZeros = 0;
  /** The regular file whose content is arriving, and its hash when it comes in pieces. */
  private file: FileMeta | null = null;
  private fileHash: Hash | null = null;
  /** First error; after it, bytes are still hashed and counted but no longer parsed. */
  error: Error | null = null;

  constructor(
    private readonly ctx: ParseContext,
    /** Names the layer in messages: `blobs/sha256/ab12…` or `<id>/layer.tar`. */
    private readonly label: string,
    /**
     * The diffId the archive names this uncompressed tar by (an OCI layout's `blobs/sha256/<digest>`,
     * written by the engine that computed it); null: computed here (legacy `<id>/layer.tar`,
     * compressed blobs, whose name is the digest of the compressed bytes).
     */
    private readonly knownDiffId: string | null = null,
    /** False when the decoder hashes the tar itself and hands the diffId to end(). */
    hashesTar = true,
  ) {
    primeFileMetaShape();
    this.digest = knownDiffId === null && hashesTar ? createHash('sha256') : null;
  }

  /** Feed uncompressed tar bytes. Parsing is synchronous: always true (drained() is for the decoders' contract). */
  write(chunk: Buffer): boolean {
    this.digest?.update(chunk);
    this.tarBytes += chunk.length;
    this.trackTrailingZeros(chunk);
    if (this.error) return true;
    try {
      this.tar.write(chunk);
    } catch (err) {
      this.fail(err);
    }
    return true;
  }

  drained(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Ends the tar and returns its index; throws the layer's error (StageScopeError).
   * `hashedDiffId`: the decoder's sha256 of exactly the bytes written here (hashesTar false).
   */
  async end(hashedDiffId: string | null = null): Promise<LayerIndex> {
    if (!this.error) {
      try {
        this.tar.end();
      } catch (err) {
        this.fail(err);
      }
    }
    if (this.error) throw this.error;
    if (this.trailingZeros < 1024) {
      throw corrupt(`Layer ${this.label} ends early: its tar has no end-of-archive marker (truncated).`);
    }
    if (this.hardlinks) this.resolveHardlinks(this.hardlinks);
    const diffId = this.knownDiffId ?? (this.digest ? 'sha256:' + this.digest.digest('hex') : hashedDiffId);
    if (diffId === null) throw corrupt(`Layer ${this.label} was read without computing its digest.`);
    return {
      diffId,
      entries: this.entries,
      whiteouts: this.whiteouts,
      opaqueDirs: this.opaqueDirs,
      size: this.contentBytes,
      tarBytes: this.tarBytes,
    };
  }

  /** Stops parsing after a fatal error elsewhere. */
  destroy(): void {
    this.error ??= corrupt(`Layer ${this.label} was not read to its end.`);
  }

  private fail(err: unknown): void {
    if (this.error) return;
    const reason = err instanceof Error ? err.message : String(err);
    this.error =
      err instanceof Error && err.name === 'StageScopeError' ? err : corrupt(`Layer ${this.label} is not a valid tar: ${reason}.`);
  }

  private trackTrailingZeros(chunk: Buffer): void {
    let i = chunk.length - 1;
    while (i >= 0 && chunk[i] === 0) i--;
    this.trailingZeros = i < 0 ? this.trailingZeros + chunk.length : chunk.length - 1 - i;
  }

  /** True when the entry's content is wanted: a regular file's, to hash it. */
  private onEntry(header: TarHeader): boolean {
    const meta = this.describe(header);
    if (meta === null || meta.type !== 'file' || meta.size === 0) return false;
    this.file = meta;
    this.fileHash = null;
    return true;
  }

  private onData(data: Buffer): void {
    const file = this.file!;
    // Most files arrive in one piece: the one-shot hash skips a Hash object per file.
    if (this.fileHash === null && data.length === file.size) file.hash = oneShotHash('sha256', data, 'hex');
    else (this.fileHash ??= createHash('sha256')).update(data);
  }

  private onDone(): void {
    if (this.fileHash !== null) this.file!.hash = this.fileHash.digest('hex');
    this.file = null;
    this.fileHash = null;
  }

  /** The entry's FileMeta (already pushed), or null for whiteouts and skipped entries. */
  private describe(header: TarHeader): FileMeta | null {
    const name = header.name;
    const link = header.linkname ?? null;
    if (name.includes('\0') || (link !== null && link.includes('\0'))) {
      throw corrupt(`Layer ${this.label} has an entry name containing a NUL byte, which no image tool writes.`);
    }
    const path = normalizeEntryPath(name);
    this.checkLimits(path);
    const slash = path.lastIndexOf('/');
    // Whiteouts are recognised by name alone: some writers give them odd typeflags/linknames.
    if (path.charCodeAt(slash + 1) === 46 /* . */ && path.startsWith('.wh.', slash + 1)) {
      this.addWhiteout(path);
      return null;
    }
    if (path === '/') return null; // the root itself: not a file of the image
    const type = header.type ? TYPES[header.type] : undefined;
    if (type === undefined) return null;
    const meta: FileMeta = {
      path,
      type,
      size: 0,
      mode: header.mode & 0o7777,
      uid: this.ownerId(header, 'uid'),
      gid: this.ownerId(header, 'gid'),
      linkTarget: null,
      hash: null,
      mtime: mtimeOf(header),
    };
    if (type === 'file') {
      meta.size = header.size;
      this.contentBytes += meta.size;
      if (meta.size === 0) meta.hash = EMPTY_SHA256;
    } else if (type === 'symlink') {
      meta.linkTarget = link ?? '';
    } else if (type === 'hardlink') {
      meta.linkTarget = normalizeEntryPath(link ?? '');
      (this.hardlinks ??= []).push(meta);
    }
    this.entries.push(meta);
    return meta;
  }

  /**
   * The ustar field holds 7 octal digits (max 2097151): larger ids arrive as a PAX record
   * (BuildKit, GNU tar --format=pax) or in GNU base-256 (tar-stream decodes that one). Only
   * the numeric ids are kept; uname/gname are not part of a tree's entries.
   */
  private ownerId(header: TarHeader, key: 'uid' | 'gid'): number {
    const record = header.pax?.[key];
    const value = record === undefined ? header[key] : /^\d{1,15}$/.test(record.trim()) ? Number(record.trim()) : NaN;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw corrupt(`Layer ${this.label} has an entry (${header.name}) whose ${key} is not a valid number.`);
    }
    return value;
  }

  private checkLimits(path: string): void {
    const { limits } = this.ctx;
    if (++this.ctx.entryCount > limits.maxEntries) {
      throw fatal(
        `The image archive has more than ${limits.maxEntries} layer entries.`,
        'Raise the entry limit if the image is really this large.',
        { limit: 'maxEntries' },
      );
    }
    if (path.length > limits.maxPathLength || pathDepth(path) > limits.maxPathDepth) {
      throw fatal(
        `Layer ${this.label} has an entry path longer than ${limits.maxPathLength} characters or deeper than ${limits.maxPathDepth} folders.`,
        'The archive may be hostile; inspect it with `tar -tvf` before trusting it.',
        { limit: 'path' },
      );
    }
  }

  private addWhiteout(path: string): void {
    const [parent, base] = [parentPath(path), baseName(path)];
    if (base === '.wh..wh..opq') this.opaqueDirs.push(parent);
    else if (!base.startsWith('.wh..wh.')) this.whiteouts.push(joinPath(parent, base.slice(4)));
  }

  /** A hardlink carries its target's size and hash when the target is in this layer. */
  private resolveHardlinks(links: FileMeta[]): void {
    const files = new Map<string, FileMeta>();
    for (const e of this.entries) if (e.type === 'file') files.set(e.path, e);
    for (const l of links) {
      const target = files.get(l.linkTarget!);
      if (target) {
        l.size = target.size;
        l.hash = target.hash;
      }
    }
  }
}
