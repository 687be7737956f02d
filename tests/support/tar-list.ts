// Reads a tar stream (e.g. `docker export`) into a flat list of entries with absolute,
// normalized paths; contents are skipped, only headers are kept.
import { posix } from 'node:path';
import { createHash } from 'node:crypto';
import * as tar from 'tar-stream';

export type ExportEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface ExportEntry {
  /** Absolute and normalized: `/bin/busybox`, never `bin/busybox`, `./bin/` or `/bin/`. */
  path: string;
  type: ExportEntryType;
  /** Bytes in the archive: 0 for anything but regular files (hard links are 0 too). */
  size: number;
  /** Permission bits (mode & 0o7777). */
  mode: number;
  /** Symlink: the target as written (may be relative). Hard link: the absolute path linked to. */
  linkTarget: string | null;
  /** A regular file's content sha256 (hex), when the reader was asked for hashes. */
  sha256?: string;
}

/** `bin/`, `./bin`, `/bin//x/../` → `/bin`; the root itself → `/`. */
export function normalizeTarPath(name: string): string {
  const p = posix.normalize('/' + name);
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

function entryType(type: tar.Header['type']): ExportEntryType {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

/** Every entry except the root, in archive order; with `hashes`, regular files' sha256 too. */
export function readTarFileList(stream: NodeJS.ReadableStream, opts: { hashes?: boolean } = {}): Promise<ExportEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: ExportEntry[] = [];
    const extract = tar.extract();
    extract.on('entry', (header, body, next) => {
      const path = normalizeTarPath(header.name);
      if (path !== '/') {
        const type = entryType(header.type);
        const link = header.linkname ?? null;
        const entry: ExportEntry = {
          path,
          type,
          size: type === 'file' ? (header.size ?? 0) : 0,
          mode: (header.mode ?? 0) & 0o7777,
          linkTarget: type === 'symlink' ? link : type === 'hardlink' && link ? normalizeTarPath(link) : null,
        };
        entries.push(entry);
        if (opts.hashes && type === 'file') {
          const hash = createHash('sha256');
          body.on('data', (c) => void hash.update(c as Buffer));
          body.on('end', () => (entry.sha256 = hash.digest('hex')));
        }
      }
      body.on('end', next);
      body.on('error', reject);
      body.resume();
    });
    extract.on('finish', () => resolve(entries));
    extract.on('error', reject);
    stream.on('error', reject);
    stream.pipe(extract);
  });
}
