// Bundles the `stagescope` command (and the browser host it serves) into out/cli/ with esbuild,
// so the installed command starts in plain Node instead of compiling TypeScript through tsx at
// every start. `npm install` runs it (the `prepare` script); bin/stagescope.js falls back to the
// sources when the bundle is missing or older than them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'out/cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { stagescope: 'electron/cli/entry.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // Code splitting keeps the engine in chunks that only commands other than --help/--version load.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages stay in node_modules: dockerode's ssh2 and cpu-features are native, and Node loads
  // the others faster from there than esbuild would re-wrap them.
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
console.log(`build-cli: ${outdir}`);
