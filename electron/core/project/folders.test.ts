// Folder completion: only folders (links to folders too, never files, FIFOs or links to files),
// hidden ones only when asked for, a bounded answer, and clear errors.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeFolder, MAX_FOLDERS } from './folders.ts';

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'stagescope-folders-'));
  for (const d of ['projects', 'proto', 'music', '.hidden', 'many']) mkdirSync(join(root, d));
  writeFileSync(join(root, 'profile.txt'), 'a file\n');
  symlinkSync(join(root, 'music'), join(root, 'prod-link')); // a link to a folder
  symlinkSync(join(root, 'profile.txt'), join(root, 'prof-file-link')); // a link to a file
  symlinkSync('pro-loop', join(root, 'pro-loop')); // a link to itself
  execFileSync('mkfifo', [join(root, 'pro-fifo')]);
  for (let i = 0; i < MAX_FOLDERS + 10; i++) mkdirSync(join(root, 'many', `d${String(i).padStart(3, '0')}`));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('completeFolder', () => {
  it('lists the folders whose name starts with the typed part, links to folders included', async () => {
    expect(await completeFolder(join(root, 'pro'))).toEqual({
      folders: [join(root, 'prod-link'), join(root, 'projects'), join(root, 'proto')],
      truncated: false,
    });
  });

  it('after a trailing slash lists every folder inside, hidden ones only when the name starts with a dot', async () => {
    const all = await completeFolder(root + '/');
    expect(all.folders).toEqual(['many', 'music', 'prod-link', 'projects', 'proto'].map((d) => join(root, d)));
    expect((await completeFolder(join(root, '.h'))).folders).toEqual([join(root, '.hidden')]);
  });

  it('answers a bounded number of folders and says so', async () => {
    const res = await completeFolder(join(root, 'many') + '/');
    expect(res.folders).toHaveLength(MAX_FOLDERS);
    expect(res.truncated).toBe(true);
    expect(res.folders[0]).toBe(join(root, 'many', 'd000'));
  });

  it('says clearly when the folder is missing, is a file, or the path is relative', async () => {
    await expect(completeFolder(join(root, 'nope', 'x'))).rejects.toMatchObject({
      code: 'not-found',
      message: `The folder ${join(root, 'nope')} does not exist.`,
    });
    await expect(completeFolder(join(root, 'profile.txt') + '/')).rejects.toMatchObject({ code: 'usage', message: /is not a folder/ });
    await expect(completeFolder('relative/path')).rejects.toMatchObject({ code: 'usage', message: /not an absolute path/ });
  });
});
