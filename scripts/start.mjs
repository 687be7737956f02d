// `npm start`: runs `electron-vite dev`, but first makes sure Electron's binary is there.
// Electron 45 downloads its binary lazily, and electron-vite does not: without it, it dies with
// a bare "Electron uninstall". So we fetch it here (Electron's own installer), and when that
// fails (offline) we say in one sentence what happened and what works without it.
// STAGESCOPE_ELECTRON_DIR points at another copy of the electron package (the test uses one
// whose installer fails, as it does offline).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

const MISSING_ELECTRON =
  "StageScope's desktop app cannot start: Electron's binary is not installed and could not be downloaded (offline?); " +
  '`npx stagescope serve` gives the same UI in a browser.';

/** The Electron executable the package points at, or null when it is not installed. */
function electronBinary(dir) {
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

function electronDir() {
  if (process.env.STAGESCOPE_ELECTRON_DIR) return process.env.STAGESCOPE_ELECTRON_DIR;
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null; // not even the npm package: `npm install` was not run
  }
}

const dir = electronDir();
// The installer's own failure is a long stack trace: keep only its message for the one line.
let installerSaid = '';
if (dir && !electronBinary(dir) && existsSync(join(dir, 'install.js'))) {
  console.log('Downloading the Electron binary (first start)…');
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  installerSaid = (r.stderr ?? '').split('\n').find((l) => l.trim() && !/^\s+at /.test(l)) ?? '';
}
const exe = dir ? electronBinary(dir) : null;
if (!exe) {
  console.error(MISSING_ELECTRON + (installerSaid ? `\n(Electron's installer said: ${installerSaid.trim().slice(0, 200)})` : ''));
  process.exit(1);
}

// electron-vite reads ELECTRON_EXEC_PATH before its own lookup.
const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
const child = spawn(process.execPath, [cli, 'dev', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: exe },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
