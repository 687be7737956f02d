// The Electron binary cannot be downloaded here, so ipcMain and the sender frames are small
// stand-ins; the handler table is the real one over an in-memory session (testing/fake-session.ts
// stands in for the engine, which the e2e tests exercise for real).
import { describe, expect, it, vi } from 'vitest';
import { createHandlers } from '../core/api/handlers.ts';
import { memoryRecentStore } from '../core/api/recent.ts';
import { createSessionHolder } from '../core/api/session-holder.ts';
import { fakeSession } from '../core/api/testing/fake-session.ts';
import { createAppUrlCheck } from './app-url.ts';
import { handleRequest, registerIpc } from './ipc.ts';

const isAppUrl = createAppUrlCheck({ rendererDir: '/opt/stagescope/out/renderer' });
const APP = 'file:///opt/stagescope/out/renderer/index.html';
const table = createHandlers({
  ...createSessionHolder(async (root) => fakeSession(root)),
  recent: memoryRecentStore(['/p']),
  emit: () => {},
  engineStatus: async () => ({ ok: false, host: 'x', error: { name: 'E', message: 'down', details: { code: 'engine', hint: null } } }),
});
const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } as any });

describe('IPC', () => {
  it('registers exactly one handler, on stagescope:request', async () => {
    const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
    const unregister = registerIpc(ipcMain as any, table, isAppUrl);
    expect(ipcMain.handle).toHaveBeenCalledTimes(1);
    expect(ipcMain.handle.mock.calls[0][0]).toBe('stagescope:request');
    const res = await ipcMain.handle.mock.calls[0][1](frame(APP), 'project.recent', {});
    expect(res).toEqual({ ok: true, result: ['/p'] });
    unregister();
    expect(ipcMain.removeHandler).toHaveBeenCalledWith('stagescope:request');
  });

  it('rejects a foreign, missing, sibling-file or subframe sender', async () => {
    const senders = [
      frame('https://evil.example/'),
      frame('file:///tmp/evil.html'),
      frame('file:///opt/stagescope/out/renderer-evil/index.html'),
      frame('devtools://devtools/bundled/inspector.html'),
      frame(APP, { url: APP }),
      { senderFrame: null as any },
    ];
    for (const event of senders) {
      const res = await handleRequest(table, isAppUrl, event, 'project.recent', {});
      expect(res).toMatchObject({ ok: false, error: { details: { code: 'usage' } } });
      if (!res.ok) expect(res.error.message).toMatch(/did not come from the StageScope window/);
    }
  });

  it('accepts the dev server origin only in development', async () => {
    const dev = createAppUrlCheck({ rendererDir: '/x', devUrl: 'http://localhost:5173/' });
    expect((await handleRequest(table, dev, frame('http://localhost:5173/index.html'), 'project.recent', {})).ok).toBe(true);
    expect((await handleRequest(table, dev, frame('http://localhost:5174/'), 'project.recent', {})).ok).toBe(false);
    expect((await handleRequest(table, isAppUrl, frame('http://localhost:5173/'), 'project.recent', {})).ok).toBe(false);
  });

  it('rejects unknown requests and invalid arguments from the app itself', async () => {
    expect(await handleRequest(table, isAppUrl, frame(APP), 'shell.exec', {})).toMatchObject({
      ok: false,
      error: { details: { code: 'usage' } },
    });
    const bad = await handleRequest(table, isAppUrl, frame(APP), 'file.extract', { stage: 0, path: '/a', dest: 'x', extra: 1 });
    expect(bad).toMatchObject({ ok: false, error: { details: { code: 'usage' } } });
    const wrongType = await handleRequest(table, isAppUrl, frame(APP), 'project.open', { path: 42 });
    expect(wrongType).toMatchObject({ ok: false, error: { details: { code: 'usage', field: 'path' } } });
  });
});
