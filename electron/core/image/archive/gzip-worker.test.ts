// A big gzip layer (the source names its size) inflates and is hashed on a worker thread: the
// same index and diffId as the plain tar parsed on the main thread, the same errors (corrupt
// gzip, decompression bomb), and a worker that stops when the read is abandoned.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../../shared/errors.ts';
import { createDecoder } from './decoders.ts';
import { WORKER_MIN_BLOB, WorkerGzipDecoder } from './gzip-worker.ts';
import { LayerParser } from './layer-parser.ts';
import { resolveLimits } from './limits.ts';
import { readOuterEntry, type BlobRecord, type EntryContext } from './outer-entry.ts';
import { chunked, makeTar, sha256 } from './testing/archives.ts';

function context(limits = {}): EntryContext {
  return { limits: resolveLimits(limits), entryCount: 0, active: null, onLayerDone: () => undefined };
}

/** `size` is the source's hint: at WORKER_MIN_BLOB or above, the worker decodes. */
function read(blob: Buffer, size: number | undefined, limits = {}): Promise<BlobRecord> {
  return readOuterEntry('layer', chunked(blob, 65536) as never, context(limits), size);
}

function layerOf(record: BlobRecord) {
  if (record.kind !== 'layer') throw new Error(`not a layer: ${record.kind}`);
  return record.layer;
}

describe('gzip layers inflated on a worker thread', () => {
  it('give the same entries, hashes and diffId as the plain tar', async () => {
    // ~12 MB of distinct files: many ring slots, reused several times.
    const files = Array.from({ length: 400 }, (_, i) => ({ name: `d/f${i}`, content: randomBytes(30_000 + i) }));
    const tar = await makeTar([{ name: 'd/', type: 'directory' }, ...files]);
    const plain = layerOf(await read(tar, undefined));
    const probe = createDecoder('gzip', new LayerParser(context(), 'probe', null, false), resolveLimits(), 'probe', WORKER_MIN_BLOB);
    expect(probe).toBeInstanceOf(WorkerGzipDecoder);
    probe.destroy!();
    const inWorker = layerOf(await read(gzipSync(tar), WORKER_MIN_BLOB));
    expect(inWorker.diffId).toBe('sha256:' + sha256(tar));
    expect(inWorker.entries).toEqual(plain.entries);
    expect(inWorker.tarBytes).toBe(tar.length);
    expect(inWorker.entries.find((e) => e.path === '/d/f399')?.hash).toBe(sha256(files[399]!.content));
  });

  it('reports a corrupt gzip stream as the main-thread decoder does', async () => {
    const gz = gzipSync(await makeTar([{ name: 'a', content: randomBytes(200_000) }]));
    gz[gz.length >> 1] ^= 0xff;
    gz[(gz.length >> 1) + 1] ^= 0xff;
    const record = await read(gz, WORKER_MIN_BLOB);
    expect(record.kind).toBe('failed');
    expect(String((record as { error: Error }).error.message)).toMatch(/is not valid gzip/);
  });

  it('stops a decompression bomb', async () => {
    const bomb = gzipSync(await makeTar([{ name: 'zeros', content: Buffer.alloc(8 * 1024 * 1024) }]));
    await expect(read(bomb, WORKER_MIN_BLOB, { maxInflatedBytes: 1024 * 1024, maxCompressionRatio: 10 })).rejects.toThrow(
      /decompression bomb/,
    );
  });

  it('stops its worker when the download fails midway', async () => {
    const gz = gzipSync(await makeTar([{ name: 'a', content: randomBytes(1_000_000) }]));
    const broken = Readable.from(
      (async function* () {
        yield gz.subarray(0, 100_000);
        throw new StageScopeError('engine', 'the connection broke', null);
      })(),
    );
    const ctx = context();
    await expect(readOuterEntry('layer', broken as never, ctx, WORKER_MIN_BLOB)).rejects.toThrow(/connection broke/);
    expect(ctx.active).toBeNull();
    // What LayerSink.abort does to its decoder: the worker stops and nothing waits for it.
    const parser = new LayerParser(ctx, 'layer', null, false);
    const decoder = createDecoder('gzip', parser, ctx.limits, 'layer', WORKER_MIN_BLOB);
    expect(decoder).toBeInstanceOf(WorkerGzipDecoder);
    await decoder.write(gz.subarray(0, 100_000));
    decoder.destroy!();
    await decoder.end();
    expect(decoder.error?.message).toMatch(/was not read to its end/);
  });
});
