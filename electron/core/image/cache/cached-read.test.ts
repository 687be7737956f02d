import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunked, makeTar, ociArchive, type FixtureImage } from '../archive/test-support.ts';
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
  const base = { tar: await makeTar([{ name: 'etc/', type: 'directory' }, { name: 'etc/os', content: 'debian' }]) };
  const mid = { tar: await makeTar([{ name: 'app/', type: 'directory' }, { name: 'app/a', content: 'a' }, { name: '.wh.tmp' }]) };
  const top = { tar: await makeTar([{ name: 'late', content: late }]) };
  return [
    { tags: ['s:0'], layers: [base, mid] },
    { tags: ['s:1'], layers: [base, mid, top] },
  ];
}

describe('readArchiveWithCache', () => {
  it('parses every layer the first time, then only the changed one, with identical contents', async () => {
    const first = await ociArchive(await images('v1'));
    const cache = await LayerCache.open({ dir: root });
    const a = await readArchiveWithCache(async () => chunked(first), cache);
    expect([a.parsed, a.fromCache]).toEqual([3, 0]);

    const second = await ociArchive(await images('v2'));
    const reopened = await LayerCache.open({ dir: root });
    const b = await readArchiveWithCache(async () => chunked(second), reopened);
    expect([b.parsed, b.fromCache]).toEqual([1, 2]);
    const fresh = await readArchiveWithCache(async () => chunked(second), null);
    expect(b.contents.images).toEqual(fresh.contents.images);
    for (const [id, layer] of fresh.contents.layers) expect(b.contents.layers.get(id)).toEqual(layer);
    expect(b.contents.layers.size).toBe(fresh.contents.layers.size);
  });

  it('reads everything again when a cached entry broke after the listing', async () => {
    const archive = await ociArchive(await images('v1'));
    await readArchiveWithCache(async () => chunked(archive), await LayerCache.open({ dir: root }));
    const cache = await LayerCache.open({ dir: root });
    const dir = join(root, 'layers-v1');
    for (const name of await readdir(dir)) await writeFile(join(dir, name), 'garbage');
    let opened = 0;
    const r = await readArchiveWithCache(async () => (opened++, chunked(archive)), cache);
    expect(opened).toBe(2);
    expect([r.parsed, r.fromCache]).toEqual([3, 0]);
    expect(r.contents.layers.size).toBe(3);
    // And the cache is healthy again.
    expect((await LayerCache.open({ dir: root })).has([...r.contents.layers.keys()][0]!)).toBe(true);
  });
});
