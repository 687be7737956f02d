// Attacks the browser host from outside, the way another local process or a web page would.
// The project session is the in-memory stand-in (testing/fake-session.ts): the engine behind it
// is exercised for real by the e2e tests.
import { request } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { fakeSession } from '../core/api/testing/fake-session.ts';
import { startWebHost, type WebHost } from './server.ts';

let dir = '';
let host: WebHost;
const TOKEN = 'test-token-0123456789abcdefghijklmn';

function get(pathAndQuery: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path: pathAndQuery, method, headers: { host: `127.0.0.1:${host.port}`, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
/** The token rides in the request's own URL: the page sends it on its socket and downloads. */
const withToken = (pathAndQuery: string, token = TOKEN) => `${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}token=${token}`;

function openWs(headers: Record<string, string>, pathAndQuery = withToken('/ws')) {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${pathAndQuery}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
}
const ownOrigin = () => ({ origin: `http://127.0.0.1:${host.port}` });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stagescope-web-'));
  await mkdir(path.join(dir, 'static', 'assets'), { recursive: true });
  await writeFile(path.join(dir, 'static', 'index.html'), '<!doctype html><title>StageScope</title>');
  await writeFile(path.join(dir, 'static', 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'secret.txt'), 'TOP SECRET');
  host = await startWebHost({
    staticDir: path.join(dir, 'static'),
    root: '/projects/demo',
    token: TOKEN,
    openSession: async (root) => fakeSession(root),
    engineStatus: async () => ({ ok: true, host: 'unix:///var/run/docker.sock', info: { version: '26.1.5', apiVersion: '1.45' } }),
  });
});
afterAll(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('browser host', () => {
  it('listens on 127.0.0.1 only and hands out a URL with a random-looking token', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
    expect(host.address).toBe('127.0.0.1');
    const other = await startWebHost({
      staticDir: dir,
      openSession: async (r) => fakeSession(r),
      engineStatus: async () => ({ ok: false, host: '', error: { name: 'E', message: '', details: { code: 'engine', hint: null } } }),
    });
    try {
      expect(other.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(other.token).not.toBe(TOKEN);
      const res = await fetch(`http://127.0.0.1:${other.port}/download?stage=0&path=/x&token=${TOKEN}`);
      expect(res.status).toBe(401);
    } finally {
      await other.close();
    }
    // Bound to 127.0.0.1 alone, not to every address: Linux routes all of 127/8 to the
    // loopback, so a host bound to 0.0.0.0 would answer on 127.0.0.2 too (checked on every machine).
    await expect(fetch(`http://127.0.0.2:${host.port}/?token=${TOKEN}`)).rejects.toThrow();
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get(withToken('/', TOKEN.slice(0, -1) + 'x'))).status).toBe(401);
    expect((await get('/download?stage=0&path=/app/hello.txt')).status).toBe(401);
    // A cookie is no longer a credential (cookies for 127.0.0.1 reach every port).
    expect((await get('/download?stage=0&path=/app/hello.txt', { cookie: `stagescope_${host.port}=${TOKEN}` })).status).toBe(401);
  });

  it('serves the page for the URL token without setting a cookie, with security headers', async () => {
    const first = await get(`/?token=${TOKEN}`);
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    // The socket of this very host, not every port of the loopback.
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port};`);
    expect(csp).not.toContain(':*');
    expect(csp).not.toContain('unsafe-eval');
    const js = await get('/assets/app.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('never serves a path outside the static folder, encoded or not', async () => {
    for (const p of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00index.html',
      '/%E0%A4%A',
    ]) {
      const res = await get(withToken(p));
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.body, p).not.toContain('TOP SECRET');
    }
  });

  it('answers a directory with 404, never a listing', async () => {
    for (const p of ['/assets', '/assets/', '/assets/.']) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect(res.body).not.toContain('app.js');
    }
  });

  it('refuses a foreign Origin or Host on plain requests (DNS rebinding)', async () => {
    expect((await get(withToken('/'), { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(withToken('/'), { host: 'evil.example:80' })).status).toBe(403);
    expect((await get(withToken('/'), {}, 'POST')).status).toBe(405);
  });

  it('refuses WebSocket upgrades without the token, from a foreign Origin, or without an Origin', async () => {
    await expect(openWs({ origin: `http://127.0.0.1:${host.port}` }, '/ws')).rejects.toThrow(/403/);
    await expect(openWs({ origin: `http://127.0.0.1:${host.port}` }, withToken('/ws', 'nope'))).rejects.toThrow(/403/);
    await expect(openWs({ origin: `http://127.0.0.1:${host.port}`, cookie: `stagescope_${host.port}=${TOKEN}` }, '/ws')).rejects.toThrow(
      /403/,
    );
    await expect(openWs({ origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(openWs({ origin: `http://127.0.0.1:${host.port + 1}` })).rejects.toThrow(/403/);
    await expect(openWs({})).rejects.toThrow(/403/);
    await expect(openWs(ownOrigin(), withToken('/elsewhere'))).rejects.toThrow(/403/);
  });

  it('carries requests, validation errors and build events over the WebSocket', async () => {
    const ws = await openWs(ownOrigin());
    const messages: any[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    const waitFor = async (pred: (m: any) => boolean) => {
      for (let i = 0; i < 200 && !messages.some(pred); i++) await new Promise((r) => setTimeout(r, 10));
      return messages.find(pred);
    };
    ws.send(JSON.stringify({ id: 1, name: 'project.recent', args: {} }));
    expect(await waitFor((m) => m.id === 1)).toEqual({ id: 1, ok: true, result: ['/projects/demo'] });
    ws.send(JSON.stringify({ id: 2, name: 'tree.rows', args: { stage: 'x' } }));
    expect(await waitFor((m) => m.id === 2)).toMatchObject({ ok: false, error: { details: { code: 'usage', field: 'stage' } } });
    ws.send('not json');
    expect(await waitFor((m) => m.id === null)).toMatchObject({ ok: false, error: { details: { code: 'usage' } } });
    ws.send(JSON.stringify({ id: 3, name: 'file.extract', args: { stage: 0, path: '/app/hello.txt', dest: '/tmp/x' } }));
    expect(await waitFor((m) => m.id === 3)).toMatchObject({ ok: false, error: { details: { code: 'usage' } } });
    ws.send(JSON.stringify({ id: 4, name: 'build.start', args: { dockerfile: 'Dockerfile' } }));
    const started = await waitFor((m) => m.id === 4);
    const done = await waitFor((m) => m.event === 'build.done');
    expect(done.payload).toMatchObject({ buildId: started.result.buildId, error: null, report: { target: 'final' } });
    expect(messages.some((m) => m.event === 'build.event' && m.payload.event.type === 'stage-start')).toBe(true);
    ws.close();
  });

  it('streams a stage file as a download and reports missing ones', async () => {
    const ok = await get(withToken('/download?stage=1&path=/app/hello.txt'));
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('hello from stage 1\n');
    expect(ok.headers['content-disposition']).toContain('attachment; filename="hello.txt"');
    expect(ok.headers['content-type']).toBe('application/octet-stream');
    expect((await get(withToken('/download?stage=1&path=/nope'))).status).toBe(404);
    expect((await get(withToken('/download?stage=-1&path=/app/hello.txt'))).status).toBe(400);
    expect((await get(withToken('/download?stage=1&path=relative'))).status).toBe(400);
    for (const stage of ['', '0x1', '1e0', '+1', ' 1', '1.0', '01']) {
      expect((await get(withToken(`/download?stage=${encodeURIComponent(stage)}&path=/app/hello.txt`))).status, `stage=${stage}`).toBe(400);
    }
    // An opened image's file: a handle that is not open is 404, one that is not a handle 400.
    expect((await get(withToken('/download?image=0123456789ab&path=/app/hello.txt'))).status).toBe(404);
    for (const image of ['', '../x', '0123456789AB', '0123456789abc'])
      expect((await get(withToken(`/download?image=${encodeURIComponent(image)}&path=/x`))).status, `image=${image}`).toBe(400);
  });
});
