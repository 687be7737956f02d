import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-atomic.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('writeFileAtomic', () => {
  it('writes concurrently to one file without a mixed result or a leftover temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stagescope-atomic-'));
    dirs.push(dir);
    const file = join(dir, 'sub', 'state.json');
    const texts = Array.from({ length: 20 }, (_, i) => String(i).repeat(100_000));
    await Promise.all(texts.map((t) => writeFileAtomic(file, t)));
    expect(texts).toContain(await readFile(file, 'utf8'));
    expect(await readdir(join(dir, 'sub'))).toEqual(['state.json']);
  });

  it('leaves no temporary file when the rename fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stagescope-atomic-'));
    dirs.push(dir);
    await writeFileAtomic(join(dir, 'taken', 'x'), 'a'); // `taken` is a folder now
    await expect(writeFileAtomic(join(dir, 'taken'), 'b')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
  });
});
