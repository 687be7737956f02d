// The Electron binary cannot be downloaded here, so `electron` is mocked: this checks the
// options the window is created with and that it shows only once ready.
import { describe, expect, it, vi } from 'vitest';

const created = vi.hoisted(() => [] as any[]);
vi.mock('electron', () => ({
  BrowserWindow: class {
    handlers = new Map<string, () => void>();
    show = vi.fn();
    loadURL = vi.fn(async () => {});
    loadFile = vi.fn(async () => {});
    constructor(public options: unknown) {
      created.push(this);
    }
    once(name: string, fn: () => void) {
      this.handlers.set(name, fn);
    }
  },
}));

import { createMainWindow, windowOptions } from './window.ts';

describe('main window', () => {
  it('is isolated, sandboxed, without Node, with web security on', () => {
    const prefs = windowOptions('/app/out/preload/index.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('stays hidden until ready-to-show and loads the built file or the dev URL', () => {
    const win = createMainWindow({ preload: '/p.cjs', devUrl: null, indexHtml: '/app/out/renderer/index.html' }) as any;
    expect(win.options.show).toBe(false);
    expect(win.loadFile).toHaveBeenCalledWith('/app/out/renderer/index.html');
    expect(win.show).not.toHaveBeenCalled();
    win.handlers.get('ready-to-show')();
    expect(win.show).toHaveBeenCalled();
    const dev = createMainWindow({ preload: '/p.cjs', devUrl: 'http://127.0.0.1:5173/', indexHtml: '/x' }) as any;
    expect(dev.loadURL).toHaveBeenCalledWith('http://127.0.0.1:5173/');
    expect(created).toHaveLength(2);
  });
});
