// The engine helpers against the real engine and the base images built by
// scripts/ci/build-base-images.sh.
import { afterAll, describe, expect, it } from 'vitest';
import { ASSETS_BLOB, ASSETS_FILES, ASSETS_SYMLINK, BASE_IMAGES } from '../../support/base-images.ts';
import {
  dockerExportFileList,
  importImageFromEntries,
  imageExists,
  removeImages,
  requireBaseImages,
  requireEngine,
  withoutEngineArtifacts,
} from '../../support/engine.ts';
import { StageScopeError } from '../../../shared/errors.ts';

describe('engine helpers', () => {
  const created: string[] = [];
  afterAll(() => removeImages(created));

  it('requireEngine answers a ping', async () => {
    const docker = await requireEngine();
    const version = await docker.version();
    expect(Number(version.ApiVersion)).toBeGreaterThanOrEqual(1.41);
  });

  it('requireBaseImages passes for the real ones and names the script for a missing one', async () => {
    await requireBaseImages();
    const err = await requireBaseImages(['stagescope-test/no-such-image:0']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageScopeError);
    expect((err as StageScopeError).message).toContain('stagescope-test/no-such-image:0');
    expect((err as StageScopeError).hint).toContain('scripts/ci/build-base-images.sh');
  });

  it('imageExists and removeImages agree, and removing a missing image is fine', async () => {
    const docker = await requireEngine();
    const tag = `stagescope-test/support-tag-${process.pid}`;
    const [repo, version] = [tag, 'x'];
    await docker.getImage(BASE_IMAGES.assets).tag({ repo, tag: version });
    created.push(`${tag}:x`);
    expect(await imageExists(`${tag}:x`)).toBe(true);
    await removeImages([`${tag}:x`, 'stagescope-test/never-existed:1']);
    expect(await imageExists(`${tag}:x`)).toBe(false);
    expect(await imageExists(BASE_IMAGES.assets)).toBe(true);
  });

  it('dockerExportFileList lists busybox with its applet symlinks', async () => {
    const entries = await dockerExportFileList(BASE_IMAGES.busybox);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(byPath.get('/bin/busybox')).toMatchObject({ type: 'file', linkTarget: null });
    expect(byPath.get('/bin/busybox')!.size).toBeGreaterThan(500_000);
    expect(byPath.get('/bin/sh')).toMatchObject({ type: 'symlink', linkTarget: '/bin/busybox', size: 0 });
    expect(entries.every((e) => e.path.startsWith('/') && !e.path.endsWith('/'))).toBe(true);
    expect(byPath.has('/.dockerenv')).toBe(true);
    expect(withoutEngineArtifacts(entries).some((e) => e.path === '/.dockerenv')).toBe(false);
  });

  it('dockerExportFileList of the assets image is exactly its files plus engine artifacts', async () => {
    const entries = withoutEngineArtifacts(await dockerExportFileList(BASE_IMAGES.assets));
    const files = Object.fromEntries(entries.filter((e) => e.type === 'file').map((e) => [e.path, e.size]));
    const expected: Record<string, number> = { [ASSETS_BLOB.path]: ASSETS_BLOB.size };
    for (const [path, text] of Object.entries(ASSETS_FILES)) expected[path] = Buffer.byteLength(text);
    expect(files).toEqual(expected);
    expect(entries.find((e) => e.path === ASSETS_SYMLINK.path)).toMatchObject({
      type: 'symlink',
      linkTarget: ASSETS_SYMLINK.target,
    });
    expect(entries.find((e) => e.path === '/assets/bin/tool')!.mode).toBe(0o755);
    const dirs = entries
      .filter((e) => e.type === 'directory')
      .map((e) => e.path)
      .sort();
    expect(dirs).toEqual(['/assets', '/assets/bin', '/assets/config', '/assets/data']);
  });

  it('dockerExportFileList reads an imported image with no CMD, a hard link, and cleans up', async () => {
    const docker = await requireEngine();
    const ref = `stagescope-test/support-import-${process.pid}:1`;
    created.push(ref);
    await importImageFromEntries(ref, [
      { name: 'data', type: 'directory' },
      { name: '/data/a.txt', content: 'hello\n', mode: 0o600 },
      { name: 'data/b.txt', type: 'link', linkname: 'data/a.txt', mode: 0o600 },
    ]);
    const info = await docker.getImage(ref).inspect();
    expect(info.Config?.Cmd ?? null).toBeNull();
    const before = (await docker.listContainers({ all: true })).length;
    const entries = withoutEngineArtifacts(await dockerExportFileList(ref));
    expect((await docker.listContainers({ all: true })).length).toBe(before);
    expect(entries).toEqual([
      { path: '/data', type: 'directory', size: 0, mode: 0o755, linkTarget: null },
      { path: '/data/a.txt', type: 'file', size: 6, mode: 0o600, linkTarget: null },
      { path: '/data/b.txt', type: 'hardlink', size: 0, mode: 0o600, linkTarget: '/data/a.txt' },
    ]);
    await expect(dockerExportFileList('stagescope-test/no-such-image:0')).rejects.toThrow();
  });
});
