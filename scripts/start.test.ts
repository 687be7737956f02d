// `npm start` without Electron's binary (offline): one sentence saying what happened and that
// `npx stagescope serve` works, and a failing exit code, instead of electron-vite's
// "Electron uninstall". The electron package is a temp copy whose installer fails as offline.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'stagescope-no-electron-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/start.mjs', () => {
  it('tries to fetch the missing binary, then says in one sentence what to do instead', () => {
    writeFileSync(join(dir, 'install.js'), "require('fs').writeFileSync(__dirname + '/tried', ''); process.exit(1);\n");
    const run = spawnSync(process.execPath, ['scripts/start.mjs'], {
      env: { ...process.env, STAGESCOPE_ELECTRON_DIR: dir },
      encoding: 'utf8',
    });
    expect(existsSync(join(dir, 'tried'))).toBe(true);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Electron's binary is not installed and could not be downloaded/);
    expect(run.stderr).toContain('`npx stagescope serve` gives the same UI in a browser.');
    expect(run.stderr + run.stdout).not.toContain('Electron uninstall');
  });
});
