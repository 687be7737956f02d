// The build context and the Dockerfile sent over the BuildKit session, as the docker CLI (buildx)
// sends them: moby.filesync.v1.FileSync/DiffCopy, fsutil's protocol. BuildKit asks for a named
// dir ("context" or "dockerfile") with the patterns it wants (the `.dockerignore` lines, or
// the few paths the frontend reads alone); we send every kept path's stat in walk order (a
// STAT with no stat ends the walk), then the bytes of each regular file it asks for (REQ with
// the file's index in the stat stream; DATA chunks, then an empty DATA), until it says FIN.
// Why: with an uploaded tar BuildKit shows every file of the tar to `COPY .`, the rewritten
// Dockerfile and files the .dockerignore excludes included; a session sends it only what a
// plain `docker build` sends, so the stage images and the cache keys are the same.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { decodePacket, encodeData, encodeSimple, encodeStat, isRegularMode, PACKET } from './fsutil-wire.ts';
import { syncEntries, type SyncEntry, type SyncedDir, type SyncFilter } from './sync-walk.ts';

const DIFF_COPY = '/moby.filesync.v1.FileSync/DiffCopy';
/** fsutil reads and sends files in 32 KiB chunks. */
const CHUNK = 32 * 1024;
/** Files at most this large are read in one call and sent in one packet. */
const SMALL_FILE = 64 * 1024;
const SENDERS = 4;
/** Progress every MiB sent, not every chunk (a large context would flood the UI). */
const REPORT_EVERY = 1024 * 1024;

const raw = (b: Buffer) => b;
export const FILE_SYNC_SERVICE: grpc.ServiceDefinition = {
  DiffCopy: {
    path: DIFF_COPY,
    requestStream: true,
    responseStream: true,
    requestSerialize: raw,
    requestDeserialize: raw,
    responseSerialize: raw,
    responseDeserialize: raw,
  },
};

/** Bytes sent per dir, for the progress shown while BuildKit reads the context. */
export type SentCallback = (dirName: string, bytes: number, done: boolean) => void;

/**
 * A metadata key's values. Node's HTTP/2 joins a repeated header with ", ", which grpc-js keeps
 * as one value: split it back (BuildKit url-encodes values with non-ASCII text, and says so in
 * `<key>-encoded`; then commas are escaped and the split is exact).
 */
function metadataValues(md: grpc.Metadata, key: string): string[] {
  const values = md.get(key).flatMap((v) => String(v).split(', '));
  const encoded = md.get(`${key}-encoded`).some((v) => /^(1|t|true)$/i.test(String(v)));
  return encoded ? values.map((v) => decodeURIComponent(v.replace(/\+/g, ' '))) : values;
}

export function diffCopyHandler(dirs: ReadonlyMap<string, SyncedDir>, onSent?: SentCallback) {
  return (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
    const md = call.metadata;
    const dirName = metadataValues(md, 'dir-name')[0] ?? '';
    const dir = dirs.get(dirName);
    if (!dir) {
      call.emit('error', { code: grpc.status.NOT_FOUND, details: `no access allowed to dir "${dirName}"` });
      return;
    }
    const filter: SyncFilter = {
      includePatterns: metadataValues(md, 'include-patterns'),
      excludePatterns: metadataValues(md, 'exclude-patterns'),
      followPaths: metadataValues(md, 'followpaths'),
    };
    let stopped = false;
    let sentBytes = 0;
    let reportedBytes = 0;
    const files = new Map<number, SyncEntry>();
    // Backpressure: wait for the stream to drain, or to be gone (then nothing waits forever).
    const writable = () =>
      new Promise<void>((resolve) => {
        const done = () => {
          for (const e of ['drain', 'close', 'cancelled', 'error']) call.off(e, done);
          resolve();
        };
        for (const e of ['drain', 'close', 'cancelled', 'error']) call.once(e, done);
      });
    const write = async (packet: Uint8Array) => {
      if (stopped) return;
      if (!call.write(Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength))) await writable();
    };
    const fail = (err: unknown) => {
      if (stopped) return;
      void write(encodeSimple(PACKET.ERR, err instanceof Error ? err.message : String(err)))
        .catch(() => undefined)
        .finally(() => {
          stopped = true;
          call.end();
        });
    };
    const sent = (n: number) => {
      sentBytes += n;
      if (sentBytes - reportedBytes < REPORT_EVERY) return;
      reportedBytes = sentBytes;
      onSent?.(dirName, sentBytes, false);
    };
    const sendFile = async (id: number) => {
      const entry = files.get(id);
      if (!entry) throw new Error(`invalid file id ${id}`);
      files.delete(id);
      const { source } = entry;
      if (Buffer.isBuffer(source)) {
        if (source.length) await write(encodeData(id, source));
      } else if (typeof source === 'string' && entry.stat.size <= SMALL_FILE) {
        // One read, one packet: a folder of many small files goes much faster than with a stream each.
        const body = await readFile(source);
        if (body.length) await write(encodeData(id, body));
        sent(body.length);
      } else if (typeof source === 'string') {
        for await (const chunk of createReadStream(source, { highWaterMark: CHUNK })) {
          if (stopped) return;
          await write(encodeData(id, chunk as Buffer));
          sent((chunk as Buffer).length);
        }
      }
      await write(encodeData(id, Buffer.alloc(0)));
    };
    // Files asked for are sent a few at a time (fsutil runs 4 senders; each DATA packet names its
    // file). FIN is answered once none is left in flight.
    const asked: number[] = [];
    let next = 0;
    let active = 0;
    let whenIdle: Array<() => void> = [];
    const pump = () => {
      while (active < SENDERS && next < asked.length && !stopped) {
        const id = asked[next++];
        active++;
        sendFile(id)
          .catch(fail)
          .finally(() => {
            active--;
            if (active === 0 && next === asked.length) {
              asked.length = next = 0;
              for (const resolve of whenIdle) resolve();
              whenIdle = [];
            }
            pump();
          });
      }
    };
    const idle = () => (active === 0 && next === asked.length ? Promise.resolve() : new Promise<void>((r) => whenIdle.push(r)));
    call.on('data', (buf: Buffer) => {
      const p = decodePacket(buf);
      if (p.type === PACKET.REQ) {
        asked.push(p.id);
        pump();
      } else if (p.type === PACKET.FIN) {
        void idle()
          .then(async () => {
            await write(encodeSimple(PACKET.FIN));
            stopped = true;
            onSent?.(dirName, sentBytes, true);
            call.end();
          })
          .catch(fail);
      } else if (p.type === PACKET.ERR) {
        stopped = true;
        call.end();
      }
    });
    call.on('cancelled', () => (stopped = true));
    call.on('error', () => (stopped = true));
    void (async () => {
      let id = 0;
      for await (const entry of syncEntries(dir, filter, () => stopped)) {
        if (isRegularMode(entry.stat.mode)) files.set(id, entry);
        id++;
        await write(encodeStat(entry.stat));
      }
      await write(encodeStat(null));
    })().catch(fail);
  };
}
