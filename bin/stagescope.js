#!/usr/bin/env node
// The `stagescope` command. It runs the bundle in out/cli (scripts/build-cli.mjs, which
// `npm install` runs) when that is at least as new as every source file it was built from, and
// otherwise the TypeScript sources through tsx, so an edit is never shadowed by an old bundle.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleIsCurrent } from './bundle-current.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

let entry;
if (process.env.STAGESCOPE_FROM_SOURCE !== '1' && bundleIsCurrent(root)) {
  ({ entry } = await import(join(root, 'out/cli/stagescope.mjs')));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ entry } = await import('../electron/cli/entry.ts'));
}
process.exitCode = await entry(process.argv.slice(2));
