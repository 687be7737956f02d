// Entry names in layer tars are attacker-controlled: every one is turned into an absolute path
// rooted at `/` that can never climb above it, whatever `..`, `//` or `./` it contains.
import { parentPath } from '../../../../shared/paths.ts';

// Only names with one of these need the slow path; most names are `usr/bin/go` or `./usr/...`.
const NEEDS_SLOW_PATH = /(^|\/)\.\.?(\/|$)|\/\/|^\//;

/** `./usr/bin/go/` -> `/usr/bin/go`; `../../etc/passwd` -> `/etc/passwd`; `./` -> `/`. */
export function normalizeEntryPath(name: string): string {
  let s = name;
  if (s.startsWith('./')) s = s.slice(2);
  while (s.endsWith('/')) s = s.slice(0, -1);
  if (s === '' || s === '.') return '/';
  if (!NEEDS_SLOW_PATH.test(s)) return '/' + s;
  const out: string[] = [];
  for (const part of s.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** Number of components of a normalized path (`/` has 0). */
export function pathDepth(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return path === '/' ? 0 : n;
}

/**
 * Paths inside the outer `docker save` tar stay relative (`blobs/sha256/ab..`,
 * `<id>/layer.tar`). A symlink target is resolved against the link's folder.
 */
export function normalizeArchivePath(name: string): string {
  return normalizeEntryPath(name).slice(1);
}

export function resolveArchiveLink(linkPath: string, target: string): string {
  if (target.startsWith('/')) return normalizeArchivePath(target);
  const dir = parentPath('/' + linkPath);
  return normalizeArchivePath(dir + '/' + target);
}
