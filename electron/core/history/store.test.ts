import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/history.ts';
import type { LayerIndex } from '../image/types.ts';
import { newSnapshotId, projectKey, SnapshotStore, SNAPSHOT_VERSION } from './store.ts';
import { loadSnapshotTree, resolveBaseline } from './baseline.ts';

const DF = '/project/Dockerfile';

function layerOf(n: number): LayerIndex {
  return {
    diffId: 'sha256:' + n.toString(16).padStart(64, '0'),
    entries: [{ path: `/f${n}`, type: 'file', size: n, mode: 0o644, uid: 0, gid: 0, linkTarget: null, hash: 'a'.repeat(64) }],
    whiteouts: [],
    opaqueDirs: [],
    size: n,
    tarBytes: 1024,
  };
}

function snap(n: number, layers: LayerIndex[], dockerfile = DF, target = 'final'): Snapshot {
  return {
    v: SNAPSHOT_VERSION,
    id: newSnapshotId(new Date(Date.UTC(2026, 0, 1, 0, 0, n))),
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    dockerfile,
    dockerfileDigest: 'sha256:x',
    target,
    targetIndex: 0,
    buildArgs: {},
    builder: 'buildkit',
    stages: [
      {
        index: 0,
        name: target,
        imageId: `sha256:${n}`,
        size: 100 + n,
        fileCount: 1,
        totalBytes: n,
        layers: layers.map((l) => ({ diffId: l.diffId, size: l.size, line: 2, createdBy: 'COPY' })),
      },
    ],
  };
}

let root: string;
const warnings: string[] = [];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'stagescope-history-'));
  warnings.length = 0;
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});
const open = (extra = {}) => SnapshotStore.open({ dir: root, onWarning: (m) => warnings.push(m), ...extra });
const layerMap = (ls: LayerIndex[]) => (d: string) => ls.find((l) => l.diffId === d);

describe('SnapshotStore', () => {
  it('records snapshots newest first, pins their layers, and loads a tree with no layer cache and no images', async () => {
    const store = await open();
    const [l1, l2] = [layerOf(1), layerOf(2)];
    const a = snap(1, [l1]);
    const b = snap(2, [l1, l2]);
    await store.record(a, layerMap([l1]));
    await store.record(b, layerMap([l1, l2]));
    expect((await store.list(DF)).map((s) => s.id)).toEqual([b.id, a.id]);
    const base = await resolveBaseline('last', { store: await open(), dockerfile: DF, exclude: b.id });
    expect(base.snapshot.id).toBe(a.id);
    const tree = await loadSnapshotTree(base, 0);
    expect(tree!.tree.get('/f1')!.size).toBe(1);
    expect((await resolveBaseline(b.id, { store, dockerfile: '/elsewhere/Dockerfile' })).snapshot.id).toBe(b.id);
    // Nothing half-written is left behind.
    const files = await readdir(join(store.dir, projectKey(DF)));
    expect(files.every((f) => f.endsWith('.json'))).toBe(true);
  });

  it('keeps the newest N per Dockerfile and drops layers no snapshot refers to', async () => {
    const store = await open({ perProject: 2 });
    const layers = [1, 2, 3].map(layerOf);
    for (const [i, l] of layers.entries()) await store.record(snap(i + 1, [l]), layerMap([l]));
    const kept = await store.list(DF);
    expect(kept.map((s) => s.stages[0].imageId)).toEqual(['sha256:3', 'sha256:2']);
    expect(await store.layer(layers[0].diffId)).toBeNull();
    expect(await store.layer(layers[2].diffId)).toEqual(layers[2]);
  });

  it('drops the oldest snapshots of any project when the store exceeds its byte bound', async () => {
    const store = await open({ maxBytes: 1 });
    await store.record(snap(1, [layerOf(1)], '/a/Dockerfile'), layerMap([layerOf(1)]));
    await store.record(snap(2, [layerOf(2)], '/b/Dockerfile'), layerMap([layerOf(2)]));
    expect(await store.list('/a/Dockerfile')).toEqual([]);
    expect((await store.list('/b/Dockerfile')).length).toBe(1);
  });

  it('sets a corrupt or foreign-version snapshot aside with a warning instead of failing', async () => {
    const store = await open();
    const good = snap(1, [layerOf(1)]);
    await store.record(good, layerMap([layerOf(1)]));
    const dir = join(store.dir, projectKey(DF));
    const bad = newSnapshotId(new Date(Date.UTC(2026, 0, 2)));
    const future = newSnapshotId(new Date(Date.UTC(2026, 0, 3)));
    await writeFile(join(dir, `${bad}.json`), '{"v":1,"id":');
    await writeFile(join(dir, `${future}.json`), JSON.stringify({ ...good, id: future, v: 99 }));
    expect((await store.list(DF)).map((s) => s.id)).toEqual([good.id]);
    expect(warnings.join('\n')).toMatch(/not valid JSON[\s\S]*format version 99/);
    expect((await readdir(dir)).sort()).toEqual([`${good.id}.json`, `${bad}.json.corrupt`, `${future}.json.corrupt`].sort());
    // A broken pinned layer is set aside too, and the tree is then reported as unavailable.
    await writeFile(join(store.dir, 'layers', `sha256-${'1'.padStart(64, '0')}.json`), 'garbage');
    const base = await resolveBaseline('last', { store, dockerfile: DF });
    expect(await loadSnapshotTree(base, 0)).toBeNull();
  });

  it('still reads a layer it pinned as JSON (codec versions 1-2) before the codec became binary', async () => {
    const store = await open();
    const l = layerOf(2);
    await store.record(snap(1, [l]), layerMap([l]));
    const e = l.entries[0]!;
    const v2 = { v: 2, diffId: l.diffId, size: 2, tarBytes: 1024, whiteouts: [], opaqueDirs: [], paths: [e.path], types: 'f' };
    const columns = { sizes: [e.size], modes: [e.mode], uids: [0], gids: [0], links: [''], hashes: [e.hash], mtimes: [null] };
    await writeFile(join(store.dir, 'layers', `sha256-${l.diffId.slice(7)}.json`), JSON.stringify({ ...v2, ...columns }));
    expect(await store.layer(l.diffId)).toEqual(l);
  });

  it('starts a new store when the store path is not a folder', async () => {
    await writeFile(join(root, `history-v${SNAPSHOT_VERSION}`), 'not a folder');
    const store = await open();
    expect(warnings[0]).toMatch(/was not a folder/);
    await store.record(snap(1, [layerOf(1)]), layerMap([layerOf(1)]));
    expect((await store.list(DF)).length).toBe(1);
  });

  it('explains when there is no baseline, and refuses an unknown id', async () => {
    const store = await open();
    await expect(resolveBaseline('last', { store, dockerfile: DF })).rejects.toThrow(/no earlier snapshot/);
    await expect(resolveBaseline('20260101T000000000Z-abcdef', { store, dockerfile: DF })).rejects.toThrow(/No snapshot or report file/);
  });

  it('reads an analyze --json report as a baseline', async () => {
    const store = await open();
    const report = join(root, 'report.json');
    await writeFile(
      report,
      JSON.stringify({
        dockerfile: DF,
        target: 'final',
        targetIndex: 0,
        builder: 'buildkit',
        stages: [
          {
            index: 0,
            name: 'final',
            built: true,
            image: { id: 'sha256:r', size: 7 },
            fileCount: 1,
            totalBytes: 1,
            layers: [{ diffId: layerOf(1).diffId, size: 1, line: 3, createdBy: 'COPY' }],
          },
        ],
      }),
    );
    const base = await resolveBaseline(report, { store, dockerfile: DF });
    expect(base.source).toBe('file');
    expect(base.snapshot.stages[0].size).toBe(7);
    await writeFile(report, '[1,2]');
    await expect(resolveBaseline(report, { store, dockerfile: DF })).rejects.toThrow(/neither a StageScope report nor a snapshot/);
  });
});
