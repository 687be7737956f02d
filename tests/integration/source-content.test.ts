// File contents of opened images that are not in the engine (issue 15): preview, extract and the
// text diff read the file from its layer in a `docker save` archive (plain and gzipped), an OCI
// layout, an OCI archive and a real registry on loopback (gzip and zstd layers), and the bytes
// are the image's own (the analysis' sha256, the engine's bytes). A source that is gone or
// changed since it was opened is one sentence, and extract then leaves nothing behind.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sides } from '../../electron/core/api/sides.ts';
import { saveFile } from '../../electron/core/project/save-file.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { requireBaseImages } from '../support/engine.ts';
import { skopeoPush, startRegistry, type TestRegistry } from '../support/registry.ts';
import { failsWithin5s } from '../support/sentences.ts';
import { sh } from '../support/source-images.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';

const IMAGE = 'stagescope-test/content-fixture:1';
// Layer 2 overwrites over.txt, deletes gone.txt (a whiteout) and makes a hardlinked pair.
const DOCKERFILE = `FROM ${BASE_IMAGES.busybox}
RUN mkdir -p /app && echo v1 > /app/over.txt && echo gone > /app/gone.txt && head -c 300000 /dev/urandom > /app/big.bin
RUN echo v2-upper > /app/over.txt && rm /app/gone.txt && echo same > /app/same.txt && ln /app/same.txt /app/hard.txt
`;

let dir: string;
let saved: string;
let registry: TestRegistry;
const sides = new Sides(() => null);
/** The engine's own bytes of /app/big.bin and the sha256 its analysis took. */
let engineBig: Buffer;
let bigHash: string;
const refs: Record<string, string> = {};

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Runs the stagescope command; never rejects. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', ['bin/stagescope.js', ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Extracts `path` of an opened image as the app does (saveFile) and returns its bytes. */
async function extract(image: string, path: string): Promise<Buffer> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  await saveFile(out, () => sides.readFile({ image }, path));
  return readFile(out);
}

beforeAll(async () => {
  await requireBaseImages([BASE_IMAGES.busybox]);
  dir = await makeTempDir('stagescope-content-');
  await sh('docker', ['build', '-q', '--network', 'none', '-t', IMAGE, '-'], DOCKERFILE);
  saved = join(dir, 'saved.tar');
  await sh('docker', ['save', '-o', saved, IMAGE]);
  await pipeline(createReadStream(saved), createGzip(), createWriteStream(join(dir, 'saved.tar.gz')));
  await sh('skopeo', ['copy', '-q', `docker-archive:${saved}`, `oci:${join(dir, 'layout')}:one`]);
  await sh('skopeo', ['copy', '-q', `docker-archive:${saved}`, `oci-archive:${join(dir, 'layout.tar')}:one`]);
  registry = await startRegistry();
  await skopeoPush(registry, `docker-archive:${saved}`, 'test/content:1');
  await skopeoPush(registry, `docker-archive:${saved}`, 'test/content-zstd:1', {
    args: ['--format', 'oci', '--dest-compress-format', 'zstd'],
  });
  Object.assign(refs, {
    archive: saved,
    'gzipped archive': join(dir, 'saved.tar.gz'),
    'OCI layout': `oci:${join(dir, 'layout')}:one`,
    'OCI archive': `oci-archive:${join(dir, 'layout.tar')}`,
    registry: `registry:${registry.host}/test/content:1`,
    'registry (zstd)': `registry:${registry.host}/test/content-zstd:1`,
  });
  const engineImage = await sides.images.open(IMAGE);
  expect(engineImage.inEngine).toBe(true);
  engineBig = await extract(engineImage.id, '/app/big.bin');
  bigHash = sides.images.get(engineImage.id).tree.get('/app/big.bin')!.hash!;
}, 600_000);

afterAll(async () => {
  await registry?.stop();
  await sh('docker', ['rmi', IMAGE]).catch(() => undefined);
  await removeTempDirs();
});

describe('file contents of images outside the engine', () => {
  it('preview, extract and hardlinks give the image’s own bytes from every source', async () => {
    expect(sha256(engineBig)).toBe(bigHash);
    for (const [name, ref] of Object.entries(refs)) {
      // Opened images are kept 4 at a time: each is used right after it is opened.
      const info = await sides.images.open(ref);
      expect(info.inEngine, name).toBe(false);
      const types = ['/app/same.txt', '/app/hard.txt'].map((p) => sides.images.get(info.id).tree.get(p)!.type);
      expect(types.sort(), name).toEqual(['file', 'hardlink']);
      // The upper layer's bytes, not the first layer's v1.
      expect(await sides.preview({ image: info.id, path: '/app/over.txt' }), name).toMatchObject({
        kind: 'text',
        text: 'v2-upper\n',
        truncated: false,
      });
      const big = await extract(info.id, '/app/big.bin');
      expect(sha256(big), name).toBe(bigHash);
      expect(big.equals(engineBig), name).toBe(true);
      const preview = await sides.preview({ image: info.id, path: '/app/big.bin' });
      expect(preview.kind, name).toBe('binary');
      expect(preview.unavailable, name).toBeUndefined();
      for (const p of ['/app/same.txt', '/app/hard.txt']) expect((await extract(info.id, p)).toString(), `${name} ${p}`).toBe('same\n');
      // Deleted by a whiteout in the upper layer: not in the image.
      await expect(sides.preview({ image: info.id, path: '/app/gone.txt' }), name).rejects.toMatchObject({ code: 'not-found' });
      await expect(sides.readFile({ image: info.id }, '/app/gone.txt'), name).rejects.toMatchObject({ code: 'not-found' });
    }
  });

  it('the text diff reads both sides, an archive image against the engine’s', async () => {
    const archived = await sides.images.open(refs['OCI archive']!);
    const engine = await sides.images.open(IMAGE);
    const file = await sides.diffFile({ a: { image: archived.id }, b: { image: engine.id }, path: '/app/over.txt' });
    expect(file).toEqual({ before: 'v2-upper\n', after: 'v2-upper\n', binary: false, truncated: false });
  });

  it('an archive deleted after it was opened is one sentence within 5 s; the preview keeps the metadata', async () => {
    const copy = join(dir, 'copy.tar');
    await copyFile(saved, copy);
    const info = await sides.images.open(copy);
    await rm(copy);
    await failsWithin5s(
      sides.readFile({ image: info.id }, '/app/over.txt'),
      /^The image archive .*copy\.tar cannot be read any more: it was moved, deleted or made unreadable/,
    );
    const preview = await sides.preview({ image: info.id, path: '/app/over.txt' });
    expect(preview).toMatchObject({ meta: { size: 9 }, text: null, unavailable: expect.stringContaining('cannot be read any more') });
  });

  it('bytes that changed since the image was opened fail extract in one sentence and leave nothing behind', async () => {
    const changed = join(dir, 'changed.tar');
    await copyFile(saved, changed);
    const info = await sides.images.open(changed);
    // Same length, other bytes, inside the layer's tar: every header still parses.
    const bytes = await readFile(changed);
    const at = bytes.indexOf(Buffer.from('v2-upper\n\0'));
    expect(at).toBeGreaterThan(0);
    bytes.write('v2-UPPER\n', at);
    await writeFile(changed, bytes);
    const outDir = await makeTempDir('stagescope-content-out-');
    await failsWithin5s(
      saveFile(join(outDir, 'over.txt'), () => sides.readFile({ image: info.id }, '/app/over.txt')),
      /^\/app\/over\.txt as read now from .*changed\.tar is not the file the image held when it was opened .*: the source changed since\.$/,
    );
    expect(await readdir(outDir)).toEqual([]);
    const preview = await sides.preview({ image: info.id, path: '/app/over.txt' });
    expect(preview.unavailable).toMatch(/is not the file the image held/);
  });

  it('stagescope cat writes a file of an archive or an engine image to stdout, of a registry image to -o FILE', async () => {
    expect(await cli(['cat', refs['gzipped archive']!, '/app/hard.txt'])).toEqual({ code: 0, stdout: 'same\n', stderr: '' });
    const out = join(dir, 'cat-big.bin');
    const r = await cli(['cat', refs['registry (zstd)']!, '/app/big.bin', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Wrote 300 kB to .*cat-big\.bin\n$/);
    expect(sha256(await readFile(out))).toBe(bigHash);
    expect((await cli(['cat', IMAGE, '/app/over.txt'])).stdout).toBe('v2-upper\n');
    const gone = await cli(['cat', saved, '/app/gone.txt']);
    expect(gone).toEqual({ code: 1, stdout: '', stderr: 'stagescope: /app/gone.txt does not exist in this image.\n' });
  });

  it('a registry that went away is one sentence within 5 s', async () => {
    const info = await sides.images.open(refs.registry!);
    await registry.stop();
    await failsWithin5s(
      sides.readFile({ image: info.id }, '/app/big.bin'),
      /Cannot reach the registry 127\.0\.0\.1:\d+: the connection was refused\./,
    );
  });
});
