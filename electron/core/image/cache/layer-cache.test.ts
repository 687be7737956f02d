import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LayerIndex } from '../types.ts';
import { CODEC_VERSION } from './codec.ts';
import { LayerCache } from './layer-cache.ts';
import { defaultCacheDir } from './location.ts';

function layerOf(n: number, files = 1): LayerIndex {
  const entries = Array.from({ length: files }, (_, i) => ({
    path: `/f${n}-${i}`,
    type: 'file' as const,
    size: 1,
    mode: 0o644,
    uid: 0,
    gid: 0,
    linkTarget: null,
    hash: 'e'.repeat(64),
  }));
  return { diffId: 'sha256:' + n.toString(16).padStart(64, '0'), entries, whiteouts: [], opaqueDirs: [], size: files, tarBytes: 1024 };
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'stagescope-cache-test-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('LayerCache', () => {
  it('stores a layer, knows it after reopening, and loads it back', async () => {
    const cache = await LayerCache.open({ dir: root });
    const layer = layerOf(1, 3);
    expect(cache.has(layer.diffId)).toBe(false);
    await cache.put(layer);
    const again = await LayerCache.open({ dir: root });
    expect(again.has(layer.diffId)).toBe(true);
    expect(await again.get(layer.diffId)).toEqual(layer);
    expect(await again.get(layerOf(2).diffId)).toBeNull();
  });

  it('leaves no temp files behind and keeps entries in a versioned folder', async () => {
    const cache = await LayerCache.open({ dir: root });
    await cache.put(layerOf(1));
    expect(await readdir(root)).toEqual([`layers-v${CODEC_VERSION}`]);
    expect(await readdir(cache.dir)).toEqual([`sha256-${'1'.padStart(64, '0')}.json`]);
  });

  it('does not read an older codec version: its folder is removed (entries re-parsed), other folders stay', async () => {
    const old = join(root, 'layers-v1');
    await mkdir(old);
    const layer = layerOf(7);
    await writeFile(join(old, `sha256-${layer.diffId.slice(7)}.json`), '{"v":1}');
    await mkdir(join(root, 'snapshots'));
    const cache = await LayerCache.open({ dir: root });
    expect(cache.has(layer.diffId)).toBe(false);
    expect((await readdir(root)).sort()).toEqual([`layers-v${CODEC_VERSION}`, 'snapshots']);
  });

  it('drops a corrupt entry (e.g. a half-written file from another tool) instead of trusting it', async () => {
    const cache = await LayerCache.open({ dir: root });
    const layer = layerOf(3);
    await cache.put(layer);
    await writeFile(join(cache.dir, `sha256-${'3'.padStart(64, '0')}.json`), '{"v":1,"diffId":');
    expect(await cache.get(layer.diffId)).toBeNull();
    expect(cache.has(layer.diffId)).toBe(false);
    expect(await readdir(cache.dir)).toEqual([]);
  });

  it('evicts least recently used entries beyond its size bound, and dead temp files', async () => {
    const cache = await LayerCache.open({ dir: root, maxBytes: 1 });
    const [a, b] = [layerOf(10, 50), layerOf(11, 50)];
    await cache.put(a);
    await cache.put(b);
    const old = new Date(Date.now() - 60_000);
    await utimes(join(cache.dir, `sha256-${a.diffId.slice(7)}.json`), old, old);
    const dead = join(cache.dir, 'sha256-x.json.tmp-1-abcd');
    await writeFile(dead, 'partial');
    const older = new Date(Date.now() - 2 * 3600_000);
    await utimes(dead, older, older);
    // A bound of one entry's size keeps only the most recently used one.
    const sized = await LayerCache.open({
      dir: root,
      maxBytes: (await import('node:fs')).statSync(join(cache.dir, `sha256-${b.diffId.slice(7)}.json`)).size,
    });
    await sized.prune();
    expect(sized.has(a.diffId)).toBe(false);
    expect(sized.has(b.diffId)).toBe(true);
    expect(await readdir(cache.dir)).toEqual([`sha256-${b.diffId.slice(7)}.json`]);
  });
});

describe('LayerCache results (per-stage summaries, copy attributions)', () => {
  const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');
  const resultFiles = async (dir: string) => (await readdir(dir)).filter((n) => n.startsWith('result-'));

  it('gives a result back under its kind and key only, across a reopen', async () => {
    const cache = await LayerCache.open({ dir: root });
    await cache.putResult('stage', 'sha256:aa', [1, 2, 3]);
    const again = await LayerCache.open({ dir: root });
    expect(await again.getResult('stage', 'sha256:aa', isNumbers)).toEqual([1, 2, 3]);
    // Another image id (a changed stage) or another kind misses.
    expect(await again.getResult('stage', 'sha256:ab', isNumbers)).toBeNull();
    expect(await again.getResult('copy', 'sha256:aa', isNumbers)).toBeNull();
    expect(await resultFiles(cache.dir)).toHaveLength(1);
  });

  it('removes a corrupt or refused result instead of trusting it, and stores it again', async () => {
    const cache = await LayerCache.open({ dir: root });
    await cache.putResult('stage', 'k', [1]);
    const [name] = await resultFiles(cache.dir);
    for (const text of [
      '{"v":1,"key":"k","val',
      '{"v":1,"key":"k","value":["x"]}',
      '{"v":999,"key":"k","value":[1]}',
      '{"v":1,"key":"other","value":[1]}',
    ]) {
      await writeFile(join(cache.dir, name), text);
      expect(await cache.getResult('stage', 'k', isNumbers)).toBeNull();
      expect(await resultFiles(cache.dir)).toEqual([]);
      await cache.putResult('stage', 'k', [1]);
      expect(await cache.getResult('stage', 'k', isNumbers)).toEqual([1]);
    }
  });

  it('reads a layer synchronously (lazy trees), and drops a corrupt one', async () => {
    const cache = await LayerCache.open({ dir: root });
    const layer = layerOf(4, 2);
    await cache.put(layer);
    expect(cache.getSync(layer.diffId)).toEqual(layer);
    await writeFile(join(cache.dir, `sha256-${layer.diffId.slice(7)}.json`), 'SSLI\x03');
    expect(cache.getSync(layer.diffId)).toBeNull();
    expect(cache.has(layer.diffId)).toBe(false);
    expect(await readdir(cache.dir)).toEqual([]);
  });

  it('counts results in its size bound', async () => {
    const cache = await LayerCache.open({ dir: root, maxBytes: 1 });
    await cache.putResult('copy', 'k', [1, 2]);
    await cache.prune();
    expect(await resultFiles(cache.dir)).toEqual([]);
  });
});

describe('defaultCacheDir', () => {
  it('prefers STAGESCOPE_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({ STAGESCOPE_CACHE_DIR: '/tmp/x', XDG_CACHE_HOME: '/c' }, '/home/u')).toBe('/tmp/x');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/c' }, '/home/u')).toBe('/c/stagescope');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u')).toBe('/home/u/.cache/stagescope');
    expect(defaultCacheDir({}, '/home/u')).toBe('/home/u/.cache/stagescope');
  });
});
