// bin/bundle-current.js: the `stagescope` command runs the bundle only when no source it was
// built from is newer, so an edit after `npm install` is never shadowed by an old bundle.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const module = resolve('bin/bundle-current.js');
const root = mkdtempSync(join(tmpdir(), 'stagescope-bundle-current-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Asks the real module, in a child, as the command does at start. */
function current(): boolean {
  const run = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { bundleIsCurrent } from ${JSON.stringify(module)}; console.log(bundleIsCurrent(process.argv[1]));`,
      root,
    ],
    { encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as boolean;
}

const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);

describe('bundleIsCurrent', () => {
  it('trusts the bundle only while every listed source is older, and never without the list', () => {
    mkdirSync(join(root, 'out/cli'), { recursive: true });
    mkdirSync(join(root, 'electron'), { recursive: true });
    expect(current()).toBe(false); // no bundle
    writeFileSync(join(root, 'electron/a.ts'), '');
    writeFileSync(join(root, 'out/cli/stagescope.mjs'), '');
    at('electron/a.ts', 1_000);
    at('out/cli/stagescope.mjs', 2_000);
    expect(current()).toBe(false); // no inputs.json: a bundle from an older build
    writeFileSync(join(root, 'out/cli/inputs.json'), JSON.stringify(['electron/a.ts']));
    expect(current()).toBe(true);
    at('electron/a.ts', 3_000); // edited after the build
    expect(current()).toBe(false);
    at('electron/a.ts', 1_000);
    writeFileSync(join(root, 'out/cli/inputs.json'), JSON.stringify(['electron/a.ts', 'electron/gone.ts']));
    expect(current()).toBe(false); // a source the bundle was built from is gone
    writeFileSync(join(root, 'out/cli/inputs.json'), '{not json');
    expect(current()).toBe(false);
  });
});
