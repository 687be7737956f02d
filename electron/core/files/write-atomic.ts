// Every file StageScope keeps (layer cache, snapshots, stage reuse, recent projects, build
// records) is written whole or not at all: a crash leaves the old file or the new one, never
// half of one. The temporary name is unique per write, so two writers (two processes sharing
// a cache, or two writes in one) never interleave their bytes in one temporary file.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `data` to a unique temporary file beside `file`, then renames it over `file` (its folder
 * is created). An iterable's chunks are written as it yields them (a big layer index is never
 * whole in memory); an error it throws removes the temporary file and is thrown here.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array | Iterable<Uint8Array>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}
