// Extract: one file of an image (a stage's or an opened one's) written where the user chose.
import { lstat, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StageScopeError } from '../../../shared/errors.ts';

/**
 * Writes the file `read` opens to `dest`. Written to a temporary name beside it and renamed
 * into place, so an existing symlink at `dest` is replaced, never followed.
 */
export async function saveFile(
  destPath: string,
  read: () => Promise<{ stream: NodeJS.ReadableStream; size: number }>,
): Promise<{ path: string; bytes: number }> {
  const dest = resolve(destPath);
  const dir = await stat(dirname(dest)).catch(() => null);
  if (!dir?.isDirectory()) throw new StageScopeError('usage', `The folder ${dirname(dest)} does not exist.`, 'Choose an existing folder.');
  const existing = await lstat(dest).catch(() => null);
  if (existing?.isDirectory()) throw new StageScopeError('usage', `${dest} is a folder.`, 'Choose a file name.');
  const file = await read();
  const tmp = join(dirname(dest), `.${basename(dest)}.stagescope-${process.pid}-${Date.now()}`);
  const handle = await open(tmp, 'wx', 0o644);
  try {
    await pipeline(file.stream, handle.createWriteStream());
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    await handle.close().catch(() => undefined);
  }
  return { path: dest, bytes: file.size };
}
