// Bundles the `stagescope` command (and the browser host it serves) into out/cli/ with esbuild,
// so the installed command starts in plain Node instead of compiling TypeScript through tsx at
// every start. `npm install` runs it (the `prepare` script); bin/stagescope.js falls back to the
// sources when the bundle is missing or older than them.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'out/cli');
rmSync(outdir, { recursive: true, force: true });
const result = await build({
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
  metafile: true,
});
// The sources the bundle was built from: bin/stagescope.js compares their times with the bundle's
// (a stat of each, ~3 ms) instead of walking the source folders at every start (~20-30 ms).
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/'));
writeFileSync(join(outdir, 'inputs.json'), JSON.stringify(inputs));
console.log(`build-cli: ${outdir}`);
