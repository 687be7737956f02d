// Against the real Docker Engine: `docker save` of a busybox image, streamed straight into the
// reader, must show /bin/busybox with the size and hash of the file inside the image.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageArchive } from './read.ts';
import { makeTar } from './testing/archives.ts';

const BUSYBOX = 'stagescope-test/busybox:1';
const FALLBACK = 'stagescope-test/archive-test:1';
const docker = new Dockerode();
const created: string[] = [];

afterAll(async () => {
  for (const ref of created) await docker.getImage(ref).remove({ force: true });
});

async function hasImage(ref: string): Promise<boolean> {
  return docker
    .getImage(ref)
    .inspect()
    .then(
      () => true,
      (err: { statusCode?: number }) => {
        if (err.statusCode === 404) return false;
        throw err;
      },
    );
}

/** A tiny image made with `docker import` (tagged under stagescope-test/, removed after). */
async function importTinyImage(ref: string): Promise<void> {
  const rootfs = await makeTar([
    { name: 'bin/', type: 'directory' },
    { name: 'bin/busybox', content: Buffer.alloc(70_000, 'busybox!'), mode: 0o755 },
    { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
  ]);
  const [repo, tag] = ref.split(':') as [string, string];
  const stream = await docker.importImage(
    Readable.from([rootfs]) as unknown as NodeJS.ReadableStream,
    { repo, tag, changes: [`LABEL ref=${ref}`] } as object,
  );
  created.push(ref);
  await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve(null))));
}

/** The file's bytes as the engine sees them in a container made from the image. */
async function fileInImage(ref: string, path: string): Promise<{ size: number; hash: string }> {
  const container = await docker.createContainer({ Image: ref, Cmd: ['/bin/true'], NetworkDisabled: true });
  try {
    const archive = (await container.getArchive({ path })) as unknown as AsyncIterable<Buffer>;
    const extract = tar.extract();
    const found = (async () => {
      for await (const entry of extract) {
        const hash = createHash('sha256');
        let size = 0;
        for await (const c of entry as AsyncIterable<Buffer>) {
          hash.update(c);
          size += c.length;
        }
        if (entry.header.type === 'file') return { size, hash: hash.digest('hex') };
      }
      throw new Error(`${path} not found in the container`);
    })();
    for await (const c of archive) extract.write(c);
    extract.end(undefined);
    return await found;
  } finally {
    await container.remove({ force: true });
  }
}

describe('readImageArchive on a real docker save stream', () => {
  it('finds /bin/busybox with the right size and hash', { timeout: 120_000 }, async () => {
    const ref = (await hasImage(BUSYBOX)) ? BUSYBOX : (await importTinyImage(FALLBACK), FALLBACK);
    const expected = await fileInImage(ref, '/bin/busybox');
    const stream = (await docker.getImage(ref).get()) as unknown as Readable;
    const contents = await readImageArchive(stream);

    const image = contents.images.find((i) => i.repoTags.includes(ref));
    expect(image).toBeDefined();
    const inspect = await docker.getImage(ref).inspect();
    expect(image!.id).toBe(inspect.Id);
    expect(image!.layers).toEqual(inspect.RootFS.Layers);
    const entries = image!.layers.flatMap((d) => contents.layers.get(d)?.entries ?? []);
    const busybox = entries.filter((e) => e.path === '/bin/busybox').at(-1);
    expect(busybox).toMatchObject({ type: 'file', size: expected.size, hash: expected.hash });
    expect(busybox!.mode & 0o111).not.toBe(0);
  });

  it('reads two images sharing a layer from one export stream', { timeout: 120_000 }, async () => {
    const refs = ['stagescope-test/archive-test:2', 'stagescope-test/archive-test:3'];
    for (const r of refs) await importTinyImage(r); // same rootfs: one shared layer
    // @types/dockerode lags: getImages (GET /images/get?names=..) exists but is not typed.
    const exporter = docker as unknown as { getImages(opts: { names: string[] }): Promise<Readable> };
    const stream = await exporter.getImages({ names: refs });
    const contents = await readImageArchive(stream);
    const ids = await Promise.all(refs.map(async (r) => (await docker.getImage(r).inspect()).Id));
    expect(new Set(ids).size).toBe(2);
    expect(contents.images.map((i) => i.id).sort()).toEqual([...ids].sort());
    const [a, b] = contents.images;
    expect(a!.layers).toEqual(b!.layers);
    expect(contents.layers.size).toBe(1);
    const layer = contents.layers.get(a!.layers[0]!)!;
    expect(layer.entries.find((e) => e.path === '/bin/sh')).toMatchObject({ type: 'symlink', linkTarget: 'busybox' });
    expect(layer.entries.find((e) => e.path === '/bin/busybox')?.size).toBe(70_000);
  });
});
