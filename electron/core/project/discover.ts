// Finds the Dockerfiles of a project folder, subfolders too; which names count is
// shared/dockerfile-names.ts (the UI states the same list). Symlinks are never followed (a loop
// must not hang us) and the walk is bounded, so a huge folder answers quickly with what it found.
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isDockerfileName } from '../../../shared/dockerfile-names.ts';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.cache', 'vendor', 'out', 'dist']);
const MAX_DIRS = 20_000;
const MAX_DEPTH = 12;

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
