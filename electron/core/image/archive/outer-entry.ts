// One entry of the outer `docker save` tar: sniffed, then parsed as a layer, kept as small
// JSON, or skipped. Which blob is what is decided later, from manifest.json / index.json.
import type { Readable } from 'streamx';
import type { LayerIndex } from '../types.ts';
import { createDecoder, decoderHashesTar, type BlobDecoder } from './decoders.ts';
import { isFatal } from './errors.ts';
import { LayerParser, type ParseContext } from './layer-parser.ts';
import { SNIFF_BYTES, sniffBlob } from './sniff.ts';

export type BlobRecord =
  | { kind: 'layer'; layer: LayerIndex }
  /** A layer the caller said it does not want (its diffId was known from its name). */
  | { kind: 'skipped-layer'; diffId: string }
  /** Looked like a layer but failed to parse: an error only if a manifest needs it. */
  | { kind: 'failed'; error: Error }
  | { kind: 'json'; bytes: Buffer }
  | { kind: 'too-large-json'; size: number }
  | { kind: 'other' };

export interface EntryContext extends ParseContext {
  wantLayer?: (diffId: string) => boolean;
  onLayerDone: () => void;
  /** Set while a layer is being parsed, so a fatal error elsewhere can stop it. */
  active: LayerParser | null;
}

const UNCOMPRESSED_BLOB = /^blobs\/sha256\/([0-9a-f]{64})$/;

/** Legacy per-layer metadata we never need: do not keep it in memory. */
function keepsJson(path: string): boolean {
  return !path.includes('/') || path.startsWith('blobs/');
}

interface Sink {
  write(chunk: Buffer): Promise<void> | void;
  finish(): Promise<BlobRecord>;
  /** The read stopped before finish() (the stream failed or a fatal error was thrown). */
  abort?(): void;
}

/** `size`: the blob's size when the source knows it up front (a big gzip layer inflates on a worker). */
export async function readOuterEntry(path: string, stream: Readable, ctx: EntryContext, size?: number): Promise<BlobRecord> {
  let head: Buffer = Buffer.alloc(0);
  let sink: Sink | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let data = chunk;
      if (sink === null) {
        // Gather one header block before deciding what the blob is.
        head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
        if (head.length < SNIFF_BYTES) continue;
        sink = chooseSink(path, head, ctx, size);
        data = head;
      }
      const wait = sink.write(data);
      if (wait) await wait;
    }
  } catch (err) {
    sink?.abort?.();
    throw err;
  }
  if (sink === null) {
    // Shorter than a tar header: JSON or nothing of interest.
    sink = chooseSink(path, head, ctx, size);
    const wait = sink.write(head);
    if (wait) await wait;
  }
  return sink.finish();
}

function chooseSink(path: string, head: Buffer, ctx: EntryContext, size: number | undefined): Sink {
  const kind = sniffBlob(head);
  if (kind === 'json') return keepsJson(path) ? new JsonSink(ctx.limits.maxJsonBytes) : new SkipSink({ kind: 'other' });
  if (kind === 'other') return new SkipSink({ kind: 'other' });
  const known = kind === 'tar' ? UNCOMPRESSED_BLOB.exec(path) : null;
  if (known && ctx.wantLayer && !ctx.wantLayer('sha256:' + known[1])) {
    return new SkipSink({ kind: 'skipped-layer', diffId: 'sha256:' + known[1] });
  }
  return new LayerSink(path, kind, ctx, known ? 'sha256:' + known[1] : null, size);
}

class SkipSink implements Sink {
  constructor(private readonly record: BlobRecord) {}
  write(): void {}
  async finish(): Promise<BlobRecord> {
    return this.record;
  }
}

class JsonSink implements Sink {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}
  write(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.max) this.chunks = [];
    else this.chunks.push(chunk);
  }
  async finish(): Promise<BlobRecord> {
    if (this.size > this.max) return { kind: 'too-large-json', size: this.size };
    return { kind: 'json', bytes: Buffer.concat(this.chunks) };
  }
}

class LayerSink implements Sink {
  private readonly parser: LayerParser;
  private readonly decoder: BlobDecoder;

  constructor(
    path: string,
    kind: 'tar' | 'gzip' | 'zstd',
    private readonly ctx: EntryContext,
    knownDiffId: string | null,
    size: number | undefined,
  ) {
    this.parser = new LayerParser(ctx, path, knownDiffId, !decoderHashesTar(kind, size));
    this.decoder = createDecoder(kind, this.parser, ctx.limits, path, size);
    ctx.active = this.parser;
  }

  abort(): void {
    this.decoder.destroy?.();
    this.ctx.active = null;
  }

  write(chunk: Buffer): Promise<void> | void {
    const wait = this.decoder.write(chunk);
    if (wait) return wait.then(() => this.throwIfFatal());
    this.throwIfFatal();
  }

  private throwIfFatal(): void {
    const err = this.decoder.error ?? this.parser.error;
    if (err && isFatal(err)) throw err;
  }

  async finish(): Promise<BlobRecord> {
    try {
      await this.decoder.end();
      this.throwIfFatal();
      if (this.decoder.error) {
        this.parser.destroy();
        return { kind: 'failed', error: this.decoder.error };
      }
      const layer = await this.parser.end(this.decoder.diffId ?? null);
      this.ctx.onLayerDone();
      return { kind: 'layer', layer };
    } catch (err) {
      if (isFatal(err)) throw err;
      return { kind: 'failed', error: err as Error };
    } finally {
      this.ctx.active = null;
    }
  }
}
