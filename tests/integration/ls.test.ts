// `stagescope ls` shows what fidelity needs (type, mode, owner, size, hash, link target) and
// the same whether the image is read by name or from a `docker save` file; its paths and types
// equal the reference (`docker export` of the same plain `docker build`). `diff --json`
// carries mode and owner before and after for modified entries.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LsEntry } from '../../electron/cli/ls.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { dockerExportFileList, removeImages, requireBaseImages, requireEngine } from '../support/engine.ts';
import { fidelityReport, type ComparableEntry } from '../support/fidelity.ts';
import { buildWithDockerCli } from '../support/fixtures.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';

const run = promisify(execFile);
const TAG = `stagescope-test/ls:${process.pid}`;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

// chown before chmod: chown clears the setuid bit.
const DOCKERFILE = `FROM ${BASE_IMAGES.busybox} AS a
RUN mkdir /t && echo hello > /t/f && chown 3000000:3000001 /t/f && chmod 4750 /t/f && ln -s f /t/s && ln /t/f /t/h && touch /t/empty

FROM a AS b
RUN chmod 0700 /t/f && chown 7:8 /t/empty
`;

let dir = '';
let archive = '';

async function ls(...args: string[]): Promise<LsEntry[]> {
  const { stdout } = await run('node', ['bin/stagescope.js', 'ls', ...args, '--json'], { maxBuffer: 64 * 1024 * 1024, timeout: 240_000 });
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LsEntry);
}

beforeAll(async () => {
  await requireEngine();
  await requireBaseImages([BASE_IMAGES.busybox]);
  dir = await makeTempDir('stagescope-ls-');
  await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
  await buildWithDockerCli(dir, { tag: TAG, target: 'a' });
  archive = join(dir, 'saved.tar');
  await run('docker', ['save', '-o', archive, TAG]);
});

afterAll(async () => {
  await removeImages([TAG]);
  const docker = await requireEngine();
  const images = await docker.listImages({ filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`] } });
  for (const img of images)
    await docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await removeTempDirs();
});

describe('stagescope ls', () => {
  let byName: LsEntry[];
  beforeAll(async () => {
    byName = await ls(TAG);
  });

  it('shows type, mode, owner (PAX-sized), size, hash and link target', () => {
    const at = new Map(byName.map((e) => [e.path, e]));
    expect(at.get('/t/f')).toEqual({
      path: '/t/f',
      type: 'file',
      size: 6,
      mode: '4750',
      uid: 3000000,
      gid: 3000001,
      linkTarget: null,
      hash: sha('hello\n'),
    });
    expect(at.get('/t/s')).toMatchObject({ type: 'symlink', linkTarget: 'f' });
    expect(at.get('/t/h')).toMatchObject({ type: 'hardlink', linkTarget: '/t/f', size: 6, hash: sha('hello\n') });
    expect(at.get('/t/empty')).toMatchObject({ type: 'file', size: 0, hash: sha('') });
    expect(at.get('/t')).toMatchObject({ type: 'dir', mode: '0755' });
  });

  it('lists the same from a docker save file as by name', async () => {
    expect(await ls(archive)).toEqual(byName);
  });

  it("has the reference's paths, types, sizes and link targets (docker export of the same build)", async () => {
    const types: Record<string, string> = { dir: 'directory', char: 'other', block: 'other', fifo: 'other' };
    const ours = byName.map((e) => ({
      path: e.path,
      type: (types[e.type] ?? e.type) as ComparableEntry['type'],
      size: e.size,
      linkTarget: e.type === 'symlink' ? e.linkTarget : null,
    }));
    const docker = (await dockerExportFileList(TAG)).map((e) => ({ ...e, linkTarget: e.type === 'symlink' ? e.linkTarget : null }));
    expect(fidelityReport(ours, docker)).toEqual({ missing: [], extra: [], different: [] });
  });

  it('--layer N lists that layer alone', async () => {
    const top = await ls(TAG, '--layer', '1');
    expect(
      top
        .map((e) => e.path)
        .filter((p) => p.startsWith('/t'))
        .sort(),
    ).toEqual(['/t', '/t/empty', '/t/f', '/t/h', '/t/s']);
    expect(top.find((e) => e.path === '/bin/busybox')).toBeUndefined();
  });

  it('diff --json gives mode and owner before and after for modified entries', async () => {
    const { stdout } = await run('node', ['bin/stagescope.js', 'diff', dir, 'a', 'b', '--json'], {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 240_000,
    });
    const diff = JSON.parse(stdout) as { modified: { path: string; reasons: string[]; mode: unknown; owner: unknown }[] };
    const at = new Map(diff.modified.map((m) => [m.path, m]));
    expect(at.get('/t/f')).toMatchObject({
      reasons: ['mode'],
      mode: { before: '4750', after: '0700' },
      owner: { before: '3000000:3000001', after: '3000000:3000001' },
    });
    expect(at.get('/t/empty')).toMatchObject({
      reasons: ['owner'],
      mode: { before: '0644', after: '0644' },
      owner: { before: '0:0', after: '7:8' },
    });
  });
});
