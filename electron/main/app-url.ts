// Which URLs are StageScope's own page: the built renderer's files, or electron-vite's dev
// server in development. IPC senders and navigations are checked against this.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type AppUrlCheck = (url: string) => boolean;

export function createAppUrlCheck(opts: { rendererDir: string; devUrl?: string | null }): AppUrlCheck {
  const rendererDir = path.resolve(opts.rendererDir);
  const devOrigin = opts.devUrl ? new URL(opts.devUrl).origin : null;
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (devOrigin) return url.origin === devOrigin;
    if (url.protocol !== 'file:' || url.host !== '') return false;
    const file = path.resolve(fileURLToPath(url));
    return file.startsWith(rendererDir + path.sep);
  };
}
