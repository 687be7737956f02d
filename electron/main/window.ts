// The main window. Shown on ready-to-show so no blank frame flashes; its webPreferences are
// the security baseline Electron's security checklist asks for (and the tests check).
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 920,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'StageScope',
    backgroundColor: '#16181d',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  };
}

export function createMainWindow(opts: { preload: string; devUrl: string | null; indexHtml: string }): BrowserWindow {
  const win = new BrowserWindow(windowOptions(opts.preload));
  win.once('ready-to-show', () => win.show());
  if (opts.devUrl) void win.loadURL(opts.devUrl);
  else void win.loadFile(opts.indexHtml);
  return win;
}
