// The Electron binary cannot be downloaded here, so `electron` is mocked: these tests check
// what the preload hands to contextBridge and which channels it touches.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const exposed: Record<string, any> = {};
const ipc = vi.hoisted(() => ({ invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: vi.fn((key: string, value: unknown) => (exposed[key] = value)) },
  ipcRenderer: ipc,
}));

beforeEach(async () => {
  vi.resetModules();
  for (const k of Object.keys(exposed)) delete exposed[k];
  ipc.invoke.mockReset().mockResolvedValue({ ok: true, result: 'pong' });
  ipc.on.mockReset();
  ipc.removeListener.mockReset();
  await import('./index.ts');
});

describe('preload', () => {
  it('exposes exactly one object, window.stagescope, with request / on / host and nothing else', async () => {
    const { contextBridge } = await import('electron');
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(exposed)).toEqual(['stagescope']);
    expect(Object.keys(exposed.stagescope).sort()).toEqual(['host', 'on', 'request']);
    expect(exposed.stagescope.host).toBe('electron');
    // ipcRenderer must not be reachable from anything exposed.
    expect(Object.values(exposed.stagescope)).not.toContain(ipc);
  });

  it('sends requests only on the stagescope:request channel', async () => {
    await expect(exposed.stagescope.request('report.get', {})).resolves.toEqual({ ok: true, result: 'pong' });
    expect(ipc.invoke).toHaveBeenCalledWith('stagescope:request', 'report.get', {});
    await expect(exposed.stagescope.request({ toString: () => 'x' }, {})).rejects.toThrow(TypeError);
    expect(ipc.invoke).toHaveBeenCalledTimes(1);
  });

  it('subscribes to known events only, hides the IPC event object, and unsubscribes', () => {
    const listener = vi.fn();
    const off = exposed.stagescope.on('build.done', listener);
    expect(ipc.on).toHaveBeenCalledWith('stagescope:event', expect.any(Function));
    const wrapped = ipc.on.mock.calls[0][1];
    wrapped({ sender: 'secret' }, 'build.event', { a: 1 });
    wrapped({ sender: 'secret' }, 'build.done', { b: 2 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ b: 2 });
    off();
    expect(ipc.removeListener).toHaveBeenCalledWith('stagescope:event', wrapped);
    expect(() => exposed.stagescope.on('anything', listener)).toThrow(/Unknown event/);
  });
});
