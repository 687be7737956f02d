// Native dialogs the handlers ask for: a folder picker (project.choose, File > Open Folder…)
// and a save dialog (file.extract writes only where the user chose).
import path from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';

export interface Dialogs {
  chooseFolder(): Promise<string | null>;
  chooseSavePath(suggestedName: string): Promise<string | null>;
}

export function createDialogs(dialog: Dialog, getWindow: () => BrowserWindow | null, downloadsDir: string): Dialogs {
  return {
    async chooseFolder() {
      const win = getWindow();
      const options = { title: 'Open a project folder', properties: ['openDirectory' as const] };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseSavePath(suggestedName) {
      const win = getWindow();
      // Only the base name of the suggestion is used: the renderer never picks the folder.
      const options = { title: 'Extract file', defaultPath: path.join(downloadsDir, path.basename(suggestedName) || 'file') };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
