import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunked, makeTar, ociArchive, type FixtureImage } from '../archive/testing/archives.ts';
import { readImageArchive } from '../archive/index.ts';
import { LayerCache } from './layer-cache.ts';
import { readArchiveWithCache } from './cached-read.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'stagescope-cached-read-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function images(late: string): Promise<FixtureImage[]> {
  const base = {
    tar: await makeTar([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/os', content: 'debian' },
    ]),
  };
  const mid = { tar: await makeTar([{ name: 'app/', type: 'directory' }, { name: 'app/a', content: 'a' }, { name: '.wh.tmp' }]) };
  const top = { tar: await makeTar([{ name: 'late', content: late }]) };
  return [
    { tags: ['s:0'], layers: [base, mid] },
    { tags: ['s:1'], layers: [base, mid, top] },
  ];
}

/** An engine stand-in: `docker save` of the requested ids only, counting the calls. */
async function engineOf(imgs: FixtureImage[]) {
  const ids: string[] = [];
  for (const img of imgs) ids.push((await readImageArchive(chunked(await ociArchive([img])))).images[0]!.id);
  const calls: string[][] = [];
  const exportImages = async (want: string[]) => {
    calls.push(want);
    return chunked(await ociArchive(imgs.filter((_, i) => want.includes(ids[i]!))));
  };
  return { ids, calls, exportImages };
}

describe('readArchiveWithCache', () => {
  it('parses every layer the first time; after a late change exports only the changed image and parses only its new layer', async () => {
    const v1 = await engineOf(await images('v1'));
    const a = await readArchiveWithCache(v1.ids, v1.exportImages, await LayerCache.open({ dir: root }));
    expect([a.parsed, a.fromCache, a.exported]).toEqual([3, 0, 2]);

    const v2 = await engineOf(await images('v2'));
    expect(v2.ids[0]).toBe(v1.ids[0]);
    const b = await readArchiveWithCache(v2.ids, v2.exportImages, await LayerCache.open({ dir: root }));
    expect(v2.calls).toEqual([[v2.ids[1]]]);
    expect([b.parsed, b.fromCache, b.exported]).toEqual([1, 2, 1]);

    const fresh = await readArchiveWithCache(v2.ids, v2.exportImages, null);
    const strip = (imgs: typeof fresh.contents.images) =>
      imgs.map(({ id, config, layers }) => ({ id, config, layers })).sort((x, y) => x.id.localeCompare(y.id));
    expect(strip(b.contents.images)).toEqual(strip(fresh.contents.images));
    expect(b.contents.layers.size).toBe(fresh.contents.layers.size);
    for (const [id, layer] of fresh.contents.layers) expect(b.contents.layers.get(id)).toEqual(layer);
  });

  it('reads nothing from the engine when every image is cached', async () => {
    const v1 = await engineOf(await images('v1'));
    await readArchiveWithCache(v1.ids, v1.exportImages, await LayerCache.open({ dir: root }));
    v1.calls.length = 0;
    const again = await readArchiveWithCache(v1.ids, v1.exportImages, await LayerCache.open({ dir: root }));
    expect(v1.calls).toEqual([]);
    expect([again.parsed, again.fromCache, again.exported]).toEqual([0, 3, 0]);
    expect(again.contents.layers.size).toBe(3);
  });

  it('reads everything again when a cached entry broke after the listing', async () => {
    const v1 = await engineOf(await images('v1'));
    await readArchiveWithCache(v1.ids, v1.exportImages, await LayerCache.open({ dir: root }));
    const cache = await LayerCache.open({ dir: root });
    const dir = cache.dir;
    for (const name of await readdir(dir)) if (name.startsWith('sha256-')) await writeFile(join(dir, name), 'garbage');
    v1.calls.length = 0;
    const r = await readArchiveWithCache(v1.ids, v1.exportImages, cache);
    expect(v1.calls).toEqual([v1.ids]);
    expect([r.parsed, r.fromCache]).toEqual([3, 0]);
    expect(r.contents.layers.size).toBe(3);
    expect((await LayerCache.open({ dir: root })).has([...r.contents.layers.keys()][0]!)).toBe(true);
  });

  it('leaves the layers of deferred images undecoded, unless another image needs them', async () => {
    const v1 = await engineOf(await images('v1'));
    await readArchiveWithCache(v1.ids, v1.exportImages, await LayerCache.open({ dir: root }));
    const v2 = await engineOf(await images('v2'));
    // Image 0 (cached whole) is deferred; image 1 changed and needs the two layers they share.
    const r = await readArchiveWithCache(v2.ids, v2.exportImages, await LayerCache.open({ dir: root }), {
      defer: (id) => id === v2.ids[0],
    });
    expect(r.contents.layers.size).toBe(3);
    const all = await readArchiveWithCache(v1.ids, v1.exportImages, await LayerCache.open({ dir: root }), { defer: () => true });
    expect(all.contents.images.map((i) => i.id).sort()).toEqual([...v1.ids].sort());
    expect(all.contents.layers.size).toBe(0);
  });
});
