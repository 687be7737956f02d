// Images opened by reference as sides beside a project's stages (api/sides.ts): the tree of an
// opened image (its layers' own and up-to views), its files' preview and extract (from the engine,
// or from an archive's layer), and diffs against a stage or another opened image, through a real
// session and engine.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sides } from '../../electron/core/api/sides.ts';
import { openProject, type ProjectSession } from '../../electron/core/project/session.ts';
import { saveFile } from '../../electron/core/project/save-file.ts';
import type { Report } from '../../shared/model.ts';
import { sh } from '../support/source-images.ts';
import { fixtureDir } from '../support/fixtures.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { cleanupFixture, engine } from './harness.ts';

let session: ProjectSession;
let report: Report;
let sides: Sides;

beforeAll(async () => {
  await engine();
  session = await openProject(fixtureDir('from-stage'));
  report = await session.analyze({ dockerfile: 'Dockerfile', allStages: true });
  sides = new Sides(() => session);
}, 300_000);

afterAll(async () => {
  await cleanupFixture('from-stage');
  await removeTempDirs();
});

const paths = (rows: { path: string; change: string }[]) => Object.fromEntries(rows.map((r) => [r.path, r.change]));

describe('an opened image beside the stages', () => {
  it('is inspected like a stage: tree, layer views, preview and extract from the engine', async () => {
    const right = report.stages[2];
    const info = await sides.images.open(right.image!.id);
    expect(info.inEngine).toBe(true);
    expect(info.layers.map((l) => l.diffId)).toEqual(right.layers.map((l) => l.diffId));
    const query = { image: info.id, expanded: ['/app'], filter: '/app/' };
    const all = await sides.treeRows({ ...query, layer: null });
    expect(Object.keys(paths(all.rows)).sort()).toEqual(['/app', '/app/right.txt', '/app/shared.txt']);
    const top = info.layers.length - 1;
    expect(paths((await sides.treeRows({ ...query, layer: top, view: 'upto' })).rows)).toMatchObject({
      '/app/right.txt': 'added',
      '/app/base.txt': 'removed',
      '/app/shared.txt': 'unchanged',
    });
    const preview = await sides.preview({ image: info.id, path: '/app/right.txt' });
    expect(preview).toMatchObject({ kind: 'text', text: 'right\n' });
    const dir = await makeTempDir('stagescope-opened-');
    const out = await saveFile(join(dir, 'right.txt'), () => sides.readFile({ image: info.id }, '/app/right.txt'));
    expect(out.bytes).toBe(6);
    expect(await readFile(out.path, 'utf8')).toBe('right\n');
  });

  it('diffs against a stage and against another opened image, both ways', async () => {
    const info = await sides.images.open(report.stages[2].image!.id);
    // The same image as its stage: nothing differs.
    const same = await sides.diffSummary({ a: { stage: 2 }, b: { image: info.id } });
    expect(same.counts).toEqual({ added: 0, removed: 0, modified: 0, moved: 0 });
    // Stage left (1) against image right: left.txt and base.txt go, right.txt comes.
    const pair = { a: { stage: 1 }, b: { image: info.id } };
    const list = await sides.diffRows({ ...pair, list: true, expanded: 'all' });
    expect(paths(list.rows)).toEqual({ '/app/left.txt': 'removed', '/app/base.txt': 'removed', '/app/right.txt': 'added' });
    const file = await sides.diffFile({ a: 1, b: { image: info.id }, path: '/app/base.txt' });
    expect(file).toMatchObject({ before: 'base\n', after: null, binary: false });
    // Two stages still go to the session; an image of a saved archive diffs against the engine's.
    expect((await sides.diffSummary({ a: { stage: 1 }, b: { stage: 2 } })).counts).toEqual((await sides.diffSummary(pair)).counts);
    const dir = await makeTempDir('stagescope-opened-');
    await sh('docker', ['save', '-o', join(dir, 'right.tar'), report.stages[2].image!.id]);
    const archived = await sides.images.open(join(dir, 'right.tar'));
    expect(archived.inEngine).toBe(false);
    const both = await sides.diffSummary({ a: { image: archived.id }, b: { image: info.id } });
    expect(both.counts).toEqual({ added: 0, removed: 0, modified: 0, moved: 0 });
    // Not in the engine: its files are read from their layer in the archive.
    const preview = await sides.preview({ image: archived.id, path: '/app/right.txt' });
    expect(preview).toMatchObject({ meta: { size: 6 }, kind: 'text', text: 'right\n' });
    expect(preview.unavailable).toBeUndefined();
    const out = await saveFile(join(dir, 'archived-right.txt'), () => sides.readFile({ image: archived.id }, '/app/right.txt'));
    expect(await readFile(out.path, 'utf8')).toBe('right\n');
    await expect(sides.treeRows({ image: 'ffffffffffff', layer: null, expanded: 'all' })).rejects.toMatchObject({ code: 'not-found' });
  });
});
