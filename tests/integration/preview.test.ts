// File preview and extract on hand-made images: a binary file, a symlink, a device node, a FIFO
// (imported from a crafted tar), and a 2 GB sparse file of which only the first MiB is read.
// Extract writes only where asked and replaces a symlink there instead of following it.
import { lstat, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, type ProjectSession } from '../../electron/core/project/session.ts';
import { readImageFileHead } from '../../electron/core/project/file-content.ts';
import { TEXT_PREVIEW_LIMIT } from '../../electron/core/project/preview.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { StageScopeError } from '../../shared/errors.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { BASE_IMAGE_LABEL } from '../support/base-images.ts';
import { removeImages } from '../support/engine.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { engine } from './harness.ts';

const FILES_IMAGE = 'stagescope-test/preview-files:1';
const BIG_IMAGE = 'stagescope-test/preview-big:1';
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(5000, 0), Buffer.from('tail')]);

/** `docker import` of a tar with the special entries importImageFromEntries cannot make. */
async function importSpecials(): Promise<void> {
  const { docker } = await engine();
  const pack = tar.pack();
  pack.entry({ name: 'bin/', type: 'directory', mode: 0o755 });
  pack.entry({ name: 'bin/tool', mode: 0o755 }, ELF);
  pack.entry({ name: 'bin/link', type: 'symlink', linkname: '/etc/shadow' });
  pack.entry({ name: 'dev/', type: 'directory', mode: 0o755 });
  pack.entry({ name: 'dev/null', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3 });
  pack.entry({ name: 'run/', type: 'directory', mode: 0o755 });
  pack.entry({ name: 'run/pipe', type: 'fifo', mode: 0o644 });
  pack.entry({ name: 'etc/', type: 'directory', mode: 0o755 });
  pack.entry({ name: 'etc/notes.txt' }, 'plain text\n');
  pack.finalize();
  const [repo, tag] = FILES_IMAGE.split(':') as [string, string];
  const progress = await docker.importImage(pack as unknown as NodeJS.ReadableStream, {
    repo,
    tag,
    changes: `LABEL ${BASE_IMAGE_LABEL}=1`,
  });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(progress, (err: Error | null) => (err ? reject(err) : resolve())),
  );
}

/** An image with a 2 GB sparse file, built with busybox `truncate` (cheap on overlayfs). */
async function buildBigImage(dir: string): Promise<string> {
  const { docker } = await engine();
  await writeFile(join(dir, 'Dockerfile'), `FROM ${BASE_IMAGES.busybox}\nRUN truncate -s 2G /big\n`);
  const stream = await docker.buildImage(
    { context: dir, src: ['Dockerfile'] },
    { t: BIG_IMAGE, networkmode: 'none', labels: { [BASE_IMAGE_LABEL]: '1' } },
  );
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => {
      const failed = out?.find((o) => o.error);
      if (err || failed) reject(err ?? new Error(failed!.error));
      else resolve();
    }),
  );
  return (await docker.getImage(BIG_IMAGE).inspect()).Id;
}

let session: ProjectSession;
let project = '';

beforeAll(async () => {
  await engine();
  await importSpecials();
  project = await makeTempDir('stagescope-preview-');
  await writeFile(join(project, 'Dockerfile'), `FROM ${FILES_IMAGE} AS files\nLABEL purpose=preview\n`);
  session = await openProject(project);
  await session.analyze({ dockerfile: 'Dockerfile' } as never);
});

afterAll(async () => {
  const { docker } = await engine();
  const ours = await docker.listImages({
    filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${join(project, 'Dockerfile')}`] },
  });
  for (const img of ours)
    await docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await removeImages([FILES_IMAGE, BIG_IMAGE]);
  await removeTempDirs();
});

describe('file preview', () => {
  it('shows a binary file as a hex dump, a symlink as its target (never followed), devices and FIFOs as special', async () => {
    const bin = await session.preview({ stage: 0, path: '/bin/tool' });
    expect(bin.kind).toBe('binary');
    expect(bin.text?.split('\n')[0]).toMatch(/^00000000 {2}7f 45 4c 46 02 01 01 00/);
    const link = await session.preview({ stage: 0, path: '/bin/link' });
    expect(link).toMatchObject({ kind: 'symlink', text: '/etc/shadow' });
    for (const path of ['/dev/null', '/run/pipe']) {
      const special = await session.preview({ stage: 0, path });
      expect(special.kind, path).toBe('special');
      expect(special.text).toBeNull();
    }
    expect((await session.preview({ stage: 0, path: '/etc/notes.txt' })).text).toBe('plain text\n');
  });

  it('refuses to extract a symlink, a device or a FIFO, and says so', async () => {
    const dest = join(await makeTempDir('stagescope-extract-'), 'out');
    for (const path of ['/bin/link', '/dev/null', '/run/pipe']) {
      const err = await session.extract({ stage: 0, path, dest }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, path).toBeInstanceOf(StageScopeError);
      expect((err as StageScopeError).code).toBe('usage');
      await expect(lstat(dest)).rejects.toThrow();
    }
  });

  it('replaces a symlink at the destination instead of writing through it', async () => {
    const outside = await makeTempDir('stagescope-outside-');
    const victim = join(outside, 'victim');
    await writeFile(victim, 'untouched');
    const chosen = await makeTempDir('stagescope-chosen-');
    const dest = join(chosen, 'tool');
    await symlink(victim, dest);
    const result = await session.extract({ stage: 0, path: '/bin/tool', dest });
    expect(result.bytes).toBe(ELF.length);
    expect((await lstat(dest)).isFile()).toBe(true);
    expect(Buffer.compare(await readFile(dest), ELF)).toBe(0);
    expect(await readFile(victim, 'utf8')).toBe('untouched');
    await expect(readlink(dest)).rejects.toThrow();
  });

  // Only the head is read: the result holds exactly TEXT_PREVIEW_LIMIT bytes of a 2 GB file.
  // (Time and memory are the benchmark's; the worker's RSS measured more than the preview.)
  it('reads only the first MiB of a 2 GB sparse file and removes its helper', { timeout: 120_000 }, async () => {
    const id = await buildBigImage(await makeTempDir('stagescope-big-'));
    const { docker } = await engine();
    const head = await readImageFileHead(docker, id, '/big', TEXT_PREVIEW_LIMIT);
    expect(head.size).toBe(2 * 1024 ** 3);
    expect(head.bytes.length).toBe(TEXT_PREVIEW_LIMIT);
    // The helper container is gone.
    const helpers = await docker.listContainers({ all: true, filters: { ancestor: [id] } });
    expect(helpers).toHaveLength(0);
  });
});
