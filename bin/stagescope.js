#!/usr/bin/env node
// The `stagescope` command. It runs the bundle in out/cli (scripts/build-cli.mjs, which
// `npm install` runs) when that is at least as new as every source file it is built from, and
// otherwise the TypeScript sources through tsx, so an edit is never shadowed by an old bundle.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out/cli/stagescope.mjs');

function bundleIsCurrent() {
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  for (const dir of ['electron', 'shared']) {
    for (const name of readdirSync(join(root, dir), { recursive: true })) {
      if (name.endsWith('.ts') && statSync(join(root, dir, name)).mtimeMs > built) return false;
    }
  }
  return true;
}

let entry;
if (process.env.STAGESCOPE_FROM_SOURCE !== '1' && bundleIsCurrent()) {
  ({ entry } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ entry } = await import('../electron/cli/entry.ts'));
}
process.exitCode = await entry(process.argv.slice(2));
