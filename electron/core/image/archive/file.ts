// A saved archive on disk (`docker save -o x.tar`, or gzipped `x.tar.gz`).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { StageScopeError } from '../../../../shared/errors.ts';
import type { ArchiveContents, ReadArchiveOptions } from '../types.ts';
import { readImageArchive } from './read.ts';

export async function readImageArchiveFile(path: string, opts: ReadArchiveOptions = {}): Promise<ArchiveContents> {
  return readImageArchive(await openArchiveFile(path), opts);
}

/** The archive's tar bytes, gunzipped when the file is gzip (told by its magic, not its name). */
export async function openArchiveFile(path: string): Promise<Readable> {
  const magic = Buffer.alloc(2);
  try {
    const fh = await open(path, 'r');
    try {
      await fh.read(magic, 0, 2, 0);
    } finally {
      await fh.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StageScopeError(
      code === 'ENOENT' ? 'not-found' : 'archive',
      `The image archive ${path} cannot be opened (${code ?? (err as Error).message}).`,
      'Check the path and that the file is readable.',
    );
  }
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  let input: Readable = file;
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    input = pipeline(file, zlib.createGunzip({ chunkSize: 256 * 1024 }), () => {
      /* errors surface through the last stream */
    });
  }
  return input;
}
