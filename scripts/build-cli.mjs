// Bundles the `stagescope` command (and the browser host it serves) into out/cli/ with esbuild,
// so the installed command starts in plain Node instead of compiling TypeScript through tsx at
// every start. `npm install` runs it (the `prepare` script); bin/stagescope.js falls back to the
// sources when the bundle is missing or older than them.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages stay in node_modules (Node loads them as they are), except dockerode and
 * docker-modem: they are bundled, so that two transports StageScope never uses through them are
 * left out. ssh2 (and its native cpu-features): ssh:// engines are reached by running the `ssh`
 * binary (electron/core/docker/ssh-dial.ts), never through docker-modem's ssh2 client.
 * dockerode's BuildKit session and progress decoder (@grpc/proto-loader, .proto files read at
 * run time): StageScope runs its own (electron/core/docker/session.ts, build.ts). Loading them
 * took ~250 ms of every engine command's start (`require('dockerode')`: 315-358 ms, bundled
 * without them: 61-93 ms). Each stub throws one sentence if it is ever reached.
 */
const UNUSED = {
  ssh2: "module.exports = { Client: class { constructor() { throw new Error('StageScope reaches ssh:// engines through the ssh binary, not docker-modem\\'s ssh2 client.'); } } };",
  './session':
    "module.exports = function () { throw new Error('StageScope opens its own BuildKit sessions; dockerode\\'s are not bundled.'); };",
  './buildkit':
    "module.exports = { followProgress() { throw new Error('StageScope decodes BuildKit progress itself; dockerode\\'s decoder is not bundled.'); } };",
};
const BUNDLED = /^(dockerode|docker-modem)(\/|$)/;
const leanEngineClient = {
  name: 'lean-engine-client',
  setup(b) {
    b.onResolve({ filter: /^ssh2$/ }, () => ({ path: 'ssh2', namespace: 'unused' }));
    b.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (a) =>
      a.importer.includes('/node_modules/dockerode/lib/') ? { path: a.path, namespace: 'unused' } : undefined,
    );
    // A package imported by our sources stays external unless it is one of the two; what they
    // import themselves is bundled with them.
    b.onResolve({ filter: /^[^./]/ }, (a) =>
      BUNDLED.test(a.path) || a.importer.includes('/node_modules/') ? undefined : { external: true },
    );
    b.onLoad({ filter: /.*/, namespace: 'unused' }, (a) => ({ contents: UNUSED[a.path], loader: 'js' }));
  },
};
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
  plugins: [leanEngineClient],
  // The bundled CommonJS (dockerode's tree) calls require() for Node's own modules.
  banner: {
    js: "import { createRequire as __stagescopeRequire } from 'node:module'; const require = __stagescopeRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
});
// The sources the bundle was built from: bin/stagescope.js compares their times with the bundle's
// (a stat of each, ~3 ms) instead of walking the source folders at every start (~20-30 ms).
// Our own sources only: not packages, nor the stubs above (namespace "unused:").
const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/') && !p.includes(':'));
writeFileSync(join(outdir, 'inputs.json'), JSON.stringify(inputs));
console.log(`build-cli: ${outdir}`);
