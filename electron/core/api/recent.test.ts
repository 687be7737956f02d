import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileRecentStore } from './recent.ts';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fileRecentStore', () => {
  it('keeps folders newest first without duplicates, at most ten, as JSON', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'stagescope-recent-'));
    const file = path.join(dir, 'sub', 'recent.json');
    const store = fileRecentStore(file);
    expect(await store.list()).toEqual([]);
    for (let i = 0; i < 12; i++) await store.add(`/p/${i}`);
    await store.add('/p/5');
    const list = await store.list();
    expect(list[0]).toBe('/p/5');
    expect(list).toHaveLength(10);
    expect(new Set(list).size).toBe(10);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(list);
  });

  it('treats a corrupt file as empty', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'stagescope-recent-'));
    const file = path.join(dir, 'recent.json');
    await writeFile(file, '{not json');
    expect(await fileRecentStore(file).list()).toEqual([]);
    await writeFile(file, JSON.stringify(['/a', 3, null]));
    expect(await fileRecentStore(file).list()).toEqual(['/a']);
  });
});

describe('fileRecentStore, concurrently', () => {
  it('keeps both folders of two adds at once, and a new store (a restarted host) reads them', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'stagescope-recent-'));
    const file = path.join(dir, 'recent.json');
    const store = fileRecentStore(file);
    await Promise.all([store.add('/p/a'), store.add('/p/b'), store.add('/p/c')]);
    expect(await fileRecentStore(file).list()).toEqual(['/p/c', '/p/b', '/p/a']);
  });
});
