// Finding Dockerfiles in a hostile folder: symlink loops are not followed, a FIFO or a folder
// named like a Dockerfile is not one, and a very deep tree stops at the depth bound.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerfiles } from './discover.ts';

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'stagescope-discover-'));
  writeFileSync(join(root, 'Dockerfile'), 'FROM scratch\n');
  mkdirSync(join(root, 'a/b'), { recursive: true });
  writeFileSync(join(root, 'a/b/api.Dockerfile'), 'FROM scratch\n');
  writeFileSync(join(root, 'a/Containerfile'), 'FROM scratch\n'); // Podman's name
  writeFileSync(join(root, 'a/Dockerfile.dockerignore'), '*\n'); // BuildKit's ignore file, not a Dockerfile
  symlinkSync('..', join(root, 'a/b/up')); // a loop
  symlinkSync(root, join(root, 'a/self')); // another, absolute
  symlinkSync(join(root, 'Dockerfile'), join(root, 'a/Dockerfile.link')); // a symlink, not a file
  execFileSync('mkfifo', [join(root, 'Dockerfile.fifo')]);
  mkdirSync(join(root, 'Dockerfile.dir'));
  let deep = root;
  for (let i = 0; i < 40; i++) deep = join(deep, 'd');
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, 'Dockerfile'), 'FROM scratch\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('findDockerfiles in a hostile folder', () => {
  it('follows no symlink, skips FIFOs and folders, and stops at the depth bound', async () => {
    const found = await findDockerfiles(root);
    expect(found).toEqual(['Dockerfile', 'a/Containerfile', 'a/b/api.Dockerfile']);
  });
});
