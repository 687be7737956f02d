// Turns a layer blob's bytes (tar, gzip or zstd) into uncompressed tar bytes for a
// LayerParser, with backpressure and a decompression-bomb guard. Errors are kept, not thrown
// mid-stream: the blob may not be a layer at all, which only manifest.json will tell.
import { once } from 'node:events';
import zlib from 'node:zlib';
import { Decompress } from 'fzstd';
import type { ArchiveLimits } from '../types.ts';
import { corrupt, fatal } from './errors.ts';
import { zstdWindowSize } from './sniff.ts';
import { WORKER_MIN_BLOB, WorkerGzipDecoder } from './gzip-worker.ts';
import { LayerParser } from './layer-parser.ts';

export interface BlobDecoder {
  /** Resolves when the decoder can take more. */
  write(chunk: Buffer): Promise<void> | void;
  /** All compressed bytes written; resolves once everything reached the parser. */
  end(): Promise<void>;
  /** First decoding error (fatal ones must stop the archive). */
  readonly error: Error | null;
  /** The diffId, after end(), when the decoder hashed the tar itself (see decoderHashesTar). */
  readonly diffId?: string | null;
  /** Lets go of the decompressor when the reader stops before the end (it found what it wanted, or the read was abandoned). */
  destroy(): void;
}

/** Where the uncompressed tar bytes go: a LayerParser, or a reader looking for one entry. */
export interface TarBytesSink {
  /** False asks the decoder to wait for drained(). */
  write(chunk: Buffer): boolean;
  drained(): Promise<void>;
}

/** True when createDecoder's decoder computes the diffId, so the parser need not (gzip-worker.ts). */
export function decoderHashesTar(kind: 'tar' | 'gzip' | 'zstd', blobSize: number | undefined): boolean {
  return kind === 'gzip' && blobSize !== undefined && blobSize >= WORKER_MIN_BLOB;
}

export function createDecoder(
  kind: 'tar' | 'gzip' | 'zstd',
  parser: TarBytesSink,
  limits: ArchiveLimits,
  label: string,
  /** The blob's (compressed) size, when the source knows it up front. */
  blobSize?: number,
): BlobDecoder {
  // The worker hands over every chunk without waiting: only a LayerParser (which takes them all,
  // synchronously) is fed that way; a reader of one entry (layer-entry.ts) gives no size.
  if (decoderHashesTar(kind, blobSize) && parser instanceof LayerParser)
    return new WorkerGzipDecoder(parser, new BombGuard(limits, label), label);
  if (kind === 'gzip') return new GzipDecoder(parser, new BombGuard(limits, label), label);
  if (kind === 'zstd') return new ZstdDecoder(parser, new BombGuard(limits, label), limits, label);
  return new PlainDecoder(parser);
}

class PlainDecoder implements BlobDecoder {
  readonly error = null;
  constructor(private readonly parser: TarBytesSink) {}
  write(chunk: Buffer): Promise<void> | void {
    if (!this.parser.write(chunk)) return this.parser.drained();
  }
  async end(): Promise<void> {}
  destroy(): void {}
}

export class BombGuard {
  compressed = 0;
  inflated = 0;
  constructor(
    private readonly limits: ArchiveLimits,
    private readonly label: string,
  ) {}
  check(): Error | null {
    const { maxInflatedBytes, maxCompressionRatio } = this.limits;
    if (this.inflated > maxInflatedBytes && this.inflated > this.compressed * maxCompressionRatio) {
      return fatal(
        `Layer ${this.label} inflates more than ${maxCompressionRatio} times its compressed size (a decompression bomb).`,
        'Do not trust this archive; raise the ratio limit only if the layer is genuine.',
        { limit: 'compressionRatio' },
      );
    }
    return null;
  }
}

const GUNZIP_CHUNK = 128 * 1024;

/**
 * zlib inflates on the threadpool, but Node emits each inflated chunk from the callback that
 * then asks the threadpool for the next one: parsing a chunk inside 'data' leaves the threadpool
 * idle while the main thread parses, and the main thread idle while it inflates (a registry
 * read was ~50 % idle, BENCHMARKS.md round 11). The chunk is queued instead and parsed in a
 * microtask, which runs once the callback has returned and the next inflate is under way. At
 * most one chunk waits: the next callback cannot run before the microtask.
 */
class GzipDecoder implements BlobDecoder {
  error: Error | null = null;
  private readonly gunzip = zlib.createGunzip({ chunkSize: GUNZIP_CHUNK });
  private readonly inflated: Buffer[] = [];

  constructor(
    private readonly parser: TarBytesSink,
    private readonly guard: BombGuard,
    private readonly label: string,
  ) {
    this.gunzip.on('data', (out: Buffer) => {
      if (this.error) return;
      this.guard.inflated += out.length;
      const bomb = this.guard.check();
      if (bomb) return this.fail(bomb);
      if (this.inflated.push(out) === 1) queueMicrotask(() => this.parseInflated());
    });
    this.gunzip.on('error', (err) => this.fail(err));
  }

  /** Hands the queued chunks to the parser, in order. */
  private parseInflated(): void {
    while (this.inflated.length > 0) {
      const out = this.inflated.shift()!;
      if (this.error) continue;
      if (!this.parser.write(out)) {
        this.gunzip.pause();
        void this.parser.drained().then(() => this.gunzip.resume());
      }
    }
  }

  private fail(err: Error): void {
    if (this.error) return;
    this.error = err.name === 'StageScopeError' ? err : corrupt(`Layer ${this.label} is not valid gzip: ${err.message}.`);
    this.gunzip.destroy();
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.error) return;
    this.guard.compressed += chunk.length;
    if (!this.gunzip.write(chunk)) {
      try {
        await once(this.gunzip, 'drain');
      } catch {
        /* the 'error' listener recorded it */
      }
    }
  }

  destroy(): void {
    this.gunzip.destroy();
  }

  async end(): Promise<void> {
    if (this.error) return;
    const ended = once(this.gunzip, 'end').catch(() => undefined);
    const closed = once(this.gunzip, 'close').catch(() => undefined);
    this.gunzip.end();
    await Promise.race([ended, closed]);
    this.parseInflated();
  }
}

class ZstdDecoder implements BlobDecoder {
  error: Error | null = null;
  private readonly zstd = new Decompress((out) => this.onData(out));
  private head: Buffer | null = Buffer.alloc(0);
  private parserFull = false;

  constructor(
    private readonly parser: TarBytesSink,
    private readonly guard: BombGuard,
    private readonly limits: ArchiveLimits,
    private readonly label: string,
  ) {}

  private onData(out: Uint8Array): void {
    if (this.error || out.length === 0) return;
    this.guard.inflated += out.length;
    const bomb = this.guard.check();
    if (bomb) throw bomb;
    const buf = Buffer.from(out.buffer, out.byteOffset, out.length);
    if (!this.parser.write(buf)) this.parserFull = true;
  }

  private fail(err: unknown): void {
    if (this.error) return;
    const e = err instanceof Error ? err : new Error(String(err));
    this.error = e.name === 'StageScopeError' ? e : corrupt(`Layer ${this.label} is not valid zstd: ${e.message}.`);
  }

  /**
   * fzstd allocates the frame's whole window at once: refuse absurd ones before it does.
   * Collects chunks until the frame header is complete; returns them as one chunk then.
   */
  private collectHead(chunk: Buffer): Buffer | null {
    const head = Buffer.concat([this.head!, chunk]);
    const window = zstdWindowSize(head);
    if (window === null) {
      this.head = head;
      return null;
    }
    this.head = null;
    if (window > this.limits.maxZstdWindow) {
      this.fail(
        fatal(
          `Layer ${this.label} asks for a ${window}-byte zstd window, more than the ${this.limits.maxZstdWindow} allowed.`,
          'Recompress the layer with a smaller window.',
          { limit: 'zstdWindow' },
        ),
      );
      return null;
    }
    return head;
  }

  write(chunk: Buffer): Promise<void> | void {
    if (this.error) return;
    this.guard.compressed += chunk.length;
    if (this.head !== null) {
      const whole = this.collectHead(chunk);
      if (whole === null) return;
      chunk = whole;
    }
    this.push(chunk, false);
    if (this.parserFull) {
      this.parserFull = false;
      return this.parser.drained();
    }
  }

  private push(chunk: Uint8Array, final: boolean): void {
    try {
      this.zstd.push(chunk, final);
    } catch (err) {
      this.fail(err);
    }
  }

  async end(): Promise<void> {
    if (this.error) return;
    if (this.head !== null) {
      // Too short to hold a frame header: let fzstd report it.
      const h = this.head;
      this.head = null;
      this.push(h, false);
    }
    this.push(new Uint8Array(0), true);
    if (this.parserFull) await this.parser.drained();
  }

  destroy(): void {}
}
