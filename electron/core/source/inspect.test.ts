// The one image reader `inspect`, `ls`, `diff-images` and "Open image…" share, on archive files
// (no engine): every image of an archive for inspect, exactly one for the others.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTar, ociArchive, type FixtureImage } from '../image/archive/testing/archives.ts';
import { analyzeOneImage, inspectSource } from './inspect.ts';

let dir = '';
let one = '';
let two = '';

const image = async (tag: string, files: Record<string, string>): Promise<FixtureImage> => ({
  tags: [tag],
  layers: [{ tar: await makeTar(Object.entries(files).map(([name, content]) => ({ name, content }))) }],
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stagescope-inspect-'));
  const a = await image('test/a:1', { 'a.txt': 'alpha', 'etc/conf': 'x=1\n' });
  const b = await image('test/b:1', { 'b.txt': 'bravo!' });
  one = join(dir, 'one.tar');
  two = join(dir, 'two.tar');
  await writeFile(one, await ociArchive([a]));
  await writeFile(two, await ociArchive([a, b]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('inspectSource', () => {
  it('reports every image of an archive with its layers, files and bytes', async () => {
    const report = await inspectSource(two, { cache: null });
    expect(report.source).toBe(two);
    expect(report.images.map((i) => [i.repoTags, i.fileCount, i.totalBytes, i.layers.length])).toEqual([
      [['test/a:1'], 2, 9, 1],
      [['test/b:1'], 1, 6, 1],
    ]);
    expect(report.images[0]!.size).toBe(9);
  });
});

describe('analyzeOneImage', () => {
  it('reads the one image of a source', async () => {
    const { label, analyzed } = await analyzeOneImage(one, { cache: null });
    expect(label).toBe(one);
    expect(analyzed.tree.get('/etc/conf')?.size).toBe(4);
  });

  it('refuses a source of several images with a usage error naming the purpose, or takes the first when asked', async () => {
    await expect(analyzeOneImage(two, { cache: null, purpose: 'ls lists one' })).rejects.toMatchObject({
      code: 'usage',
      message: `${two} holds 2 images; ls lists one.`,
    });
    const { analyzed } = await analyzeOneImage(two, { cache: null, first: true });
    expect(analyzed.image.repoTags).toEqual(['test/a:1']);
  });
});
