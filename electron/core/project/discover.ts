// Finds the Dockerfiles of a project folder, subfolders too; which names count is
// shared/dockerfiles.ts (the UI states the same list). Symlinks are never followed (a loop
// must not hang us) and the walk is bounded, so a huge folder answers quickly with what it found.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { defaultDockerfile, isDockerfileName } from '../../../shared/dockerfiles.ts';
import { StageScopeError } from '../../../shared/errors.ts';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.cache', 'vendor', 'out', 'dist']);
const MAX_DIRS = 20_000;
const MAX_DEPTH = 12;

/** A folder (its default Dockerfile, see shared/dockerfiles.ts) or a Dockerfile path → the Dockerfile's absolute path. */
export async function resolveDockerfilePath(path: string): Promise<string> {
  const abs = resolve(path);
  const info = await stat(abs).catch(() => null);
  if (!info) throw new StageScopeError('usage', `${path} does not exist.`, 'Give a project folder or a Dockerfile.');
  if (info.isFile()) return abs;
  if (!info.isDirectory())
    throw new StageScopeError('usage', `${path} is neither a folder nor a file.`, 'Give a project folder or a Dockerfile.');
  const found = await findDockerfiles(abs);
  const top = defaultDockerfile(found);
  if (top) return join(abs, top);
  if (found.length === 0) throw new StageScopeError('usage', `No Dockerfile found in ${path}.`, 'Give the path of the Dockerfile itself.');
  throw new StageScopeError(
    'usage',
    `${path} holds several Dockerfiles (${found.slice(0, 5).join(', ')}).`,
    'Give the path of the one to analyze.',
  );
}

/** Paths relative to root, `/`-separated, sorted with the shallowest first. */
export async function findDockerfiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const queue: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  let visited = 0;
  while (queue.length > 0 && visited < MAX_DIRS) {
    const { dir, depth } = queue.shift()!;
    visited++;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: skip it, keep the rest
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIP_DIRS.has(entry.name)) queue.push({ dir: full, depth: depth + 1 });
      } else if (entry.isFile() && isDockerfileName(entry.name)) {
        found.push(relative(root, full).split(sep).join('/'));
      }
    }
  }
  return found.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}
