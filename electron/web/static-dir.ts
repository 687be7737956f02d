// Where the built renderer lives for `stagescope serve`: out/renderer under the package root
// (found from this file, so it works from any working directory and through `npx`).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StageScopeError } from '../../shared/errors.ts';

export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
  return dir;
}

/** out/renderer, or a usage error saying how to build it. */
export function rendererStaticDir(root = packageRoot()): string {
  const dir = path.join(root, 'out', 'renderer');
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new StageScopeError('usage', `The app is not built: ${dir} has no index.html.`, 'Run `npm run build:renderer` first.');
  }
  return dir;
}
