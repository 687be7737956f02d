// A big gzip layer is inflated, and its diffId (the sha256 of the whole uncompressed tar)
// computed, on a worker thread, so the main thread only parses the tar and hashes each file:
// on one thread, the two sha256 passes over every byte were most of a registry read
// (BENCHMARKS.md, round 11). The worker hashes exactly the bytes it hands over, in order, so
// the diffId still proves what was parsed, before the layer cache stores it under that diffId.
// The worker's source is plain JavaScript evaluated as a string: no bundler or TypeScript
// loader needs to know about a second entry point (CLI bundle, electron-vite, vitest).
import { Worker } from 'node:worker_threads';
import type { BlobDecoder, BombGuard } from './decoders.ts';
import { corrupt } from './errors.ts';
import type { LayerParser } from './layer-parser.ts';

/** Below this compressed size, starting a worker (~0.1 s) costs more than it saves. */
export const WORKER_MIN_BLOB = 16 * 1024 * 1024;
const CHUNK = 256 * 1024;
/** Inflated chunks the worker may send ahead of the parser (memory: WINDOW x CHUNK). */
const WINDOW = 32;

// 'in' (compressed bytes) is answered by 'ack' once zlib has room. Inflated bytes go through a
// ring of WINDOW shared slots, not one new buffer per chunk (a fresh 256 KB buffer per chunk
// cost more page faults and memory than it saved): 'data' names the slot, and the main thread
// gives slots back ('credit') once it has parsed them; the parser keeps no reference to its
// input after write(). Each chunk is hashed in a microtask, after zlib has asked the
// threadpool for the next one (see GzipDecoder).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const { createHash } = require('node:crypto');
const { ring, chunk, window } = workerData;
const slots = new Uint8Array(ring);
const hash = createHash('sha256');
const gunzip = zlib.createGunzip({ chunkSize: chunk, writableHighWaterMark: 1024 * 1024 });
let credit = window;
let next = 0;
let failed = false;
gunzip.on('data', (out) => {
  if (--credit <= 0) gunzip.pause();
  queueMicrotask(() => {
    hash.update(out);
    slots.set(out, next * chunk);
    parentPort.postMessage({ type: 'data', slot: next, length: out.length });
    next = (next + 1) % window;
  });
});
gunzip.on('end', () => queueMicrotask(() => parentPort.postMessage({ type: 'end', diffId: 'sha256:' + hash.digest('hex') })));
gunzip.on('error', (err) => {
  failed = true;
  parentPort.postMessage({ type: 'error', message: err.message });
});
parentPort.on('message', (m) => {
  if (m.type === 'in') {
    if (failed || gunzip.write(m.chunk)) parentPort.postMessage({ type: 'ack' });
    else gunzip.once('drain', () => parentPort.postMessage({ type: 'ack' }));
  } else if (m.type === 'credit') {
    credit += m.n;
    if (credit > 0 && gunzip.isPaused()) gunzip.resume();
  } else if (m.type === 'end') gunzip.end();
});
`;

type FromWorker =
  { type: 'data'; slot: number; length: number } | { type: 'ack' } | { type: 'end'; diffId: string } | { type: 'error'; message: string };

export class WorkerGzipDecoder implements BlobDecoder {
  error: Error | null = null;
  diffId: string | null = null;
  private readonly ring = new SharedArrayBuffer(WINDOW * CHUNK);
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ring: this.ring, chunk: CHUNK, window: WINDOW } });
  /** Resolves the pending write (its 'ack') or end ('end'); also called on failure. */
  private waiting: (() => void) | null = null;
  private parsed = 0;
  private finished = false;

  constructor(
    private readonly parser: LayerParser,
    private readonly guard: BombGuard,
    private readonly label: string,
  ) {
    this.worker.on('message', (m: FromWorker) => this.onMessage(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => {
      if (!this.finished) this.fail(new Error('the inflating thread stopped'));
    });
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'data') return this.onData(Buffer.from(this.ring, m.slot * CHUNK, m.length));
    if (m.type === 'error') return this.fail(new Error(m.message));
    if (m.type === 'end') {
      this.diffId = m.diffId;
      this.finished = true;
    }
    this.wake();
  }

  private onData(out: Buffer): void {
    if (this.error) return;
    this.guard.inflated += out.length;
    const bomb = this.guard.check();
    if (bomb) return this.fail(bomb);
    // The parser is synchronous (always true) and done with `out` when write() returns: its
    // slot can be refilled.
    this.parser.write(out);
    if (++this.parsed === WINDOW / 4) {
      this.parsed = 0;
      this.worker.postMessage({ type: 'credit', n: WINDOW / 4 });
    }
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  private fail(err: Error): void {
    if (this.error) return;
    this.finished = true;
    this.error = err.name === 'StageScopeError' ? err : corrupt(`Layer ${this.label} is not valid gzip: ${err.message}.`);
    void this.worker.terminate();
    this.wake();
  }

  private send(message: { type: 'in'; chunk: Uint8Array } | { type: 'end' }): Promise<void> {
    if (this.error) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting = resolve;
      if (message.type === 'in') this.worker.postMessage(message, [message.chunk.buffer as ArrayBuffer]);
      else this.worker.postMessage(message);
    });
  }

  async write(chunk: Buffer): Promise<void> {
    this.guard.compressed += chunk.length;
    // An owned copy: the network's buffer may be a slice of a larger one.
    await this.send({ type: 'in', chunk: new Uint8Array(chunk) });
  }

  async end(): Promise<void> {
    try {
      await this.send({ type: 'end' });
    } finally {
      // Awaited: the worker's heap is freed before the tree is built (peak RSS).
      await this.worker.terminate();
    }
  }

  /** Stops the worker when the read is abandoned (a fatal error, a broken download). */
  destroy(): void {
    this.fail(corrupt(`Layer ${this.label} was not read to its end.`));
  }
}
