// packages-changed.sh is the guard that keeps `.ci/run` from upgrading a user's system: it must
// fail on an unnamed upgrade or removal and allow named packages and new dependencies.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = join(import.meta.dirname, 'packages-changed.sh');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stagescope-pkgs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function check(before: string, after: string, named: string[]) {
  const b = join(dir, 'before');
  const a = join(dir, 'after');
  await writeFile(b, before);
  await writeFile(a, after);
  const env = { ...process.env, STAGESCOPE_PACKAGES_AFTER: a, STAGESCOPE_CHANGES_FILE: join(dir, 'changes') };
  try {
    const { stdout, stderr } = await run('bash', [script, b, ...named], { env });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

// Package names no apt source knows, so the trixie look-up finds nothing for them.
const base = 'stagescope-fake-a\t1.0\nstagescope-fake-b\t2.0\n';

// apt-cache madison (the trixie look-up) takes seconds on a busy machine.
describe('packages-changed.sh', { timeout: 60_000 }, () => {
  it('passes when nothing changed', async () => {
    const r = await check(base, base, []);
    expect(r.code).toBe(0);
    expect(r.out).toContain('0 installed');
  });

  it('allows new packages (dependencies) and upgrades of named ones', async () => {
    const after = 'stagescope-fake-a\t1.1\nstagescope-fake-b\t2.0\nstagescope-fake-c\t3.0\n';
    const r = await check(base, after, ['stagescope-fake-a']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 installed');
  });

  it('fails on an upgrade of a package it does not name, naming it', async () => {
    const after = 'stagescope-fake-a\t1.0\nstagescope-fake-b\t2.1\n';
    const r = await check(base, after, ['stagescope-fake-a']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('stagescope-fake-b 2.0 -> 2.1');
  });

  it('fails when a package was removed', async () => {
    const r = await check(base, 'stagescope-fake-a\t1.0\n', []);
    expect(r.code).toBe(1);
    expect(r.out).toContain('removed stagescope-fake-b');
  });
});
