// One bad WebSocket frame must cost its own connection only. Before the fix the host had no
// 'error' listener per connection, so ws's protocol errors ended the whole process.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { fakeSession } from '../core/api/testing/fake-session.ts';
import { startWebHost, type WebHost } from './server.ts';

const TOKEN = 'socket-token-0123456789abcdefghijkl';
let dir = '';
let host: WebHost;

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${TOKEN}`, { headers: { origin: `http://127.0.0.1:${host.port}` } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends a raw (masked, as a client must) frame on the connection and waits for it to close. */
function sendRawAndWaitClose(ws: WebSocket, frame: Buffer): Promise<number> {
  return new Promise((resolve) => {
    ws.on('error', () => undefined); // the client side may see the abrupt close too
    ws.once('close', (code) => resolve(code));
    (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(frame);
  });
}

async function answers(): Promise<unknown> {
  const ws = await open();
  try {
    return await new Promise((resolve) => {
      ws.once('message', (d) => resolve(JSON.parse(d.toString())));
      ws.send(JSON.stringify({ id: 7, name: 'project.recent', args: {} }));
    });
  } finally {
    ws.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stagescope-socket-'));
  await mkdir(path.join(dir, 'static'), { recursive: true });
  await writeFile(path.join(dir, 'static', 'index.html'), '<!doctype html><title>StageScope</title>');
  host = await startWebHost({
    staticDir: path.join(dir, 'static'),
    token: TOKEN,
    openSession: async (root) => fakeSession(root),
    engineStatus: async () => ({ ok: true, host: 'unix:///var/run/docker.sock', info: { version: '26.1.5', apiVersion: '1.45' } }),
  });
});
afterAll(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('WebSocket protocol errors', () => {
  it('a frame announcing a 4 GiB message closes that connection; the host serves the next client', async () => {
    const mask = Buffer.from([1, 2, 3, 4]);
    // FIN + binary, MASK + 127 (64-bit length follows), length 2^32, masking key.
    const frame = Buffer.concat([Buffer.from([0x82, 0xff]), Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]), mask]);
    const code = await sendRawAndWaitClose(await open(), frame);
    expect([1006, 1009]).toContain(code);
    expect(await answers()).toMatchObject({ id: 7, ok: true });
  });

  it('a text frame holding the byte 0xff closes that connection; the host serves the next client', async () => {
    const mask = Buffer.from([9, 8, 7, 6]);
    const frame = Buffer.concat([Buffer.from([0x81, 0x81]), mask, Buffer.from([0xff ^ mask[0]!])]);
    const code = await sendRawAndWaitClose(await open(), frame);
    expect([1006, 1007]).toContain(code);
    expect(await answers()).toMatchObject({ id: 7, ok: true });
  });
});
