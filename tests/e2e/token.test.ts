// The browser host's token must reach no other server. Before the fix the page traded it for
// a cookie `stagescope_<port>`; browsers scope cookies by host, not port, so every other web
// server on 127.0.0.1 received the token, and the token opens the whole API. Now the page
// keeps it (memory and this origin's sessionStorage) and sends it on its socket and downloads.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../support/fixtures.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

let e2e: E2E;
let other: Server;
let otherPort = 0;
const seen: { url: string; cookie: string; referer: string }[] = [];

beforeAll(async () => {
  // Another local web server, on another port: it records everything the browser sends it.
  other = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url ?? '', cookie: req.headers.cookie ?? '', referer: req.headers.referer ?? '' });
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>other</title>');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', () => resolve()));
  otherPort = (other.address() as AddressInfo).port;
  e2e = await startE2E(fixtureDir('named-stages'));
});

afterAll(async () => {
  await e2e?.close();
  await new Promise<void>((resolve) => other?.close(() => resolve()));
});

describe('the browser host token', () => {
  it('works in the page, leaves the address bar, and sets no cookie', async () => {
    const { page, host } = e2e;
    await page.locator('#dockerfile').waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`);
    expect(await page.context().cookies()).toEqual([]);
    await screenshot(page, 'token-01-opened');
  });

  it('reaches no other server on 127.0.0.1 or localhost', async () => {
    const { page, host } = e2e;
    for (const name of ['127.0.0.1', 'localhost']) {
      await page.goto(`http://${name}:${otherPort}/probe`);
      await page.getByText('other').count();
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const r of seen) {
      expect(r.cookie).not.toContain(host.token);
      expect(r.url).not.toContain(host.token);
      expect(r.referer).not.toContain(host.token);
    }
  });

  it('still works after a reload without the token in the URL (sessionStorage of this origin)', async () => {
    const { page, host } = e2e;
    await page.goto(`http://127.0.0.1:${host.port}/`);
    await page.locator('#dockerfile').waitFor({ timeout: 30_000 });
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    expect(pageProblems(page)).toEqual([]);
  });
});
