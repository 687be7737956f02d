// A layer blob inside a `docker save` or OCI archive file, opened again after the archive was
// read: a plain archive is read straight at the member's offset (noted when it was read, checked
// against the tar header still there); a gzipped or changed one is walked to the member.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { StageScopeError } from '../../../../shared/errors.ts';
import { openArchiveFile } from '../../image/archive/file.ts';
import { normalizeArchivePath } from '../../image/archive/paths.ts';
import { TarReader, type TarHeader } from '../../image/archive/tar-reader.ts';

export async function openArchiveMember(
  path: string,
  blob: { member: string; offset?: number },
  what: string,
): Promise<{ stream: Readable; close(): void }> {
  const at = blob.offset === undefined ? null : await memberAt(path, blob.member, blob.offset);
  if (!at) return walkToMember(path, blob.member, what);
  const stream = createReadStream(path, { start: at.start, end: at.start + at.size - 1, highWaterMark: 1024 * 1024 });
  return { stream, close: () => stream.destroy() };
}

/**
 * Where the member's bytes are in a plain archive file, when the tar header at `offset` (noted
 * when the archive was read) still names it; null for a gzipped archive, a changed one or a
 * header the tar reader refuses, which are then walked.
 */
async function memberAt(path: string, member: string, offset: number): Promise<{ start: number; size: number } | null> {
  const block = Buffer.alloc(512);
  const fh = await open(path, 'r').catch(() => null);
  if (!fh) return null;
  try {
    if ((await fh.read(block, 0, 512, offset)).bytesRead < 512) return null;
  } finally {
    await fh.close();
  }
  let header: TarHeader | null = null;
  try {
    const sink = {
      entry: (h: TarHeader) => {
        header = h;
        return false;
      },
      data: () => undefined,
      done: () => undefined,
    };
    new TarReader(sink).write(block);
  } catch {
    return null;
  }
  const h = header as TarHeader | null;
  if (!h || (h.type !== 'file' && h.type !== 'contiguous-file') || normalizeArchivePath(h.name) !== member) return null;
  return { start: offset + 512, size: h.size };
}

/** The member of a (possibly gzipped) archive file, found by walking the outer tar. */
async function walkToMember(path: string, member: string, what: string): Promise<{ stream: Readable; close(): void }> {
  const input = await openArchiveFile(path).catch((err: unknown) => {
    throw new StageScopeError(
      err instanceof StageScopeError && err.code === 'not-found' ? 'not-found' : 'archive',
      `The image archive ${path} cannot be read any more: it was moved, deleted or made unreadable since the image was opened.`,
      'Open the image again from where it is now.',
    );
  });
  const outer = tar.extract();
  const close = (): void => {
    outer.destroy();
    input.destroy();
  };
  const stream = await new Promise<Readable>((resolve, reject) => {
    outer.on('entry', (header, entry, next) => {
      if ((header.type === 'file' || header.type === 'contiguous-file') && normalizeArchivePath(header.name) === member) {
        resolve(entry as unknown as Readable);
        return;
      }
      entry.on('end', () => next());
      entry.resume();
    });
    const gone = (why: string) =>
      new StageScopeError(
        'archive',
        `The image archive ${path} no longer has ${what} (${why}): it changed since the image was opened.`,
        'Open the image again.',
      );
    outer.on('finish', () => reject(gone(`no member ${member}`)));
    outer.on('error', (err: Error) => reject(gone(err.message)));
    input.on('error', (err: Error) => reject(gone(err.message)));
    input.pipe(outer);
  }).catch((err: unknown) => {
    close();
    throw err;
  });
  return { stream, close };
}
