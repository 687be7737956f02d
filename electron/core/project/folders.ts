// Folder completion for the browser host's path field (the desktop app has a native picker):
// the sub-folders of a typed prefix. It only lists names in one folder, the same host-local
// access `project.open` has: it reads no file, never descends, and answers a bounded number.
import { opendir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { ResponseTypes } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';

/** At most this many folders are answered (the field shows a short list). */
export const MAX_FOLDERS = 50;
/** A folder with more entries than this is not read further (answered as truncated). */
const MAX_ENTRIES = 20_000;

/**
 * `/home/me/pro` → the folders in /home/me whose name starts with `pro`; `/home/me/` → all
 * folders in /home/me. Hidden folders only when the typed name starts with a dot.
 */
export async function completeFolder(prefix: string): Promise<ResponseTypes['folder.complete']> {
  if (!isAbsolute(prefix)) {
    throw new StageScopeError('usage', `${prefix} is not an absolute path.`, 'Type a path that starts with /.', { field: 'prefix' });
  }
  const inside = /[/\\]$/.test(prefix);
  const dir = inside ? resolve(prefix) : dirname(resolve(prefix));
  const start = inside ? '' : basename(prefix);
  const info = await stat(dir).catch(() => null);
  if (!info) throw new StageScopeError('not-found', `The folder ${dir} does not exist.`, 'Check the path you typed.');
  if (!info.isDirectory()) throw new StageScopeError('usage', `${dir} is not a folder.`, 'Type the path of a folder.');
  let handle;
  try {
    handle = await opendir(dir);
  } catch {
    throw new StageScopeError('usage', `The folder ${dir} cannot be read.`, 'Check its permissions, or type another path.');
  }
  const folders: string[] = [];
  let entries = 0;
  let truncated = false;
  for await (const entry of handle) {
    if (++entries > MAX_ENTRIES) {
      truncated = true;
      break; // leaving the loop closes the handle
    }
    if (!entry.name.startsWith(start) || (entry.name.startsWith('.') && !start.startsWith('.'))) continue;
    const full = join(dir, entry.name);
    // A link to a folder is a folder to the user (macOS's /tmp is one); we only look at it.
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(full).catch(() => null))?.isDirectory());
    if (isDir) folders.push(full);
  }
  folders.sort((a, b) => a.localeCompare(b));
  if (folders.length > MAX_FOLDERS) truncated = true;
  return { folders: folders.slice(0, MAX_FOLDERS), truncated };
}
