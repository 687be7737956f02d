// Electron main: wires the window, menu, dialogs and IPC around the shared handler table.
// No business logic here: everything the renderer can ask lives in electron/core/api.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import type { EventName, EventTypes } from '../../shared/api.ts';
import { describeError } from '../../shared/errors.ts';
import { BuildRunner } from '../core/api/builds.ts';
import { createBuildHistory } from '../core/api/build-history.ts';
import { contentSecurityPolicy } from '../../shared/csp.ts';
import { createHandlers } from '../core/api/handlers.ts';
import { fileRecentStore } from '../core/api/recent.ts';
import { createSessionHolder } from '../core/api/session-holder.ts';
import { engineStatus } from '../core/project/engine-status.ts';
import { openProject } from '../core/project/session.ts';
import { EVENT_CHANNEL } from '../../shared/ipc-channels.ts';
import { createAppUrlCheck } from './app-url.ts';
import { createDialogs } from './dialogs.ts';
import { registerIpc } from './ipc.ts';
import { menuTemplate } from './menu.ts';
import { hardenSession, installSecurity } from './security.ts';
import { createMainWindow } from './window.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');
// electron-vite sets this in `npm start`; a packaged app always loads its own files.
const devUrl = !app.isPackaged ? (process.env['ELECTRON_RENDERER_URL'] ?? null) : null;
const isAppUrl = createAppUrlCheck({ rendererDir, devUrl });

installSecurity(app, isAppUrl);

let mainWindow: BrowserWindow | null = null;
const builds = new BuildRunner(createBuildHistory(app.getPath('userData')));
const holder = createSessionHolder((root) => openProject(root));
const dialogs = createDialogs(dialog, () => mainWindow, app.getPath('downloads'));
const recentFile = fileRecentStore(path.join(app.getPath('userData'), 'recent-projects.json'));
// Whoever opens a project (renderer or menu), the File > Open Recent list follows.
const recent = { list: recentFile.list, add: async (root: string) => (await recentFile.add(root), void refreshMenu()) };

function emit<E extends EventName>(name: E, payload: EventTypes[E]): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, name, payload);
}

const table = createHandlers({ ...holder, recent, emit, engineStatus, builds, ...dialogs });

async function refreshMenu(): Promise<void> {
  const actions = {
    isDev: !!devUrl,
    isMac: process.platform === 'darwin',
    openFolder: () => void openFromMenu(() => table['project.choose']({})),
    openRecent: (root: string) => void openFromMenu(() => table['project.open']({ path: root })),
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(await recent.list(), actions)));
}

async function openFromMenu(open: () => Promise<EventTypes['project.opened'] | null>): Promise<void> {
  try {
    const project = await open();
    if (project) emit('project.opened', project);
  } catch (err) {
    dialog.showErrorBox('Could not open the project', describeError(err));
  }
}

function openWindow(): void {
  const win = createMainWindow({
    preload: path.join(here, '../preload/index.cjs'),
    devUrl,
    indexHtml: path.join(rendererDir, 'index.html'),
  });
  mainWindow = win;
  // The build belongs to the window that started it: closing the window stops it.
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
    void builds.cancelAll();
  });
}

void app.whenReady().then(async () => {
  hardenSession(session.defaultSession, contentSecurityPolicy({ dev: !!devUrl }));
  registerIpc(ipcMain, table, isAppUrl);
  await refreshMenu();
  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
