// Pure checks of the tar reader behind dockerExportFileList (lives here so the integration
// project picks it up; tests/support has no vitest project of its own).
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { normalizeTarPath, readTarFileList } from '../../support/tar-list.ts';

describe('normalizeTarPath', () => {
  it.each([
    ['bin/', '/bin'],
    ['./bin/busybox', '/bin/busybox'],
    ['/usr//lib/../bin/', '/usr/bin'],
    ['./', '/'],
    ['.dockerenv', '/.dockerenv'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeTarPath(input)).toBe(expected);
  });
});

describe('readTarFileList', () => {
  it('lists every kind of entry with normalized paths, sizes and link targets', async () => {
    const pack = tar.pack();
    pack.entry({ name: './', type: 'directory', mode: 0o755 });
    pack.entry({ name: 'bin/', type: 'directory', mode: 0o755 });
    pack.entry({ name: 'bin/busybox', type: 'file', mode: 0o4755 }, 'x'.repeat(300));
    pack.entry({ name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox', mode: 0o777 });
    pack.entry({ name: 'bin/ash', type: 'link', linkname: 'bin/busybox', mode: 0o755 });
    pack.entry({ name: 'dev/null', type: 'character-device', mode: 0o666 });
    pack.finalize();
    const entries = await readTarFileList(Readable.from(pack as unknown as AsyncIterable<Buffer>));
    expect(entries).toEqual([
      { path: '/bin', type: 'directory', size: 0, mode: 0o755, linkTarget: null },
      { path: '/bin/busybox', type: 'file', size: 300, mode: 0o4755, linkTarget: null },
      { path: '/bin/sh', type: 'symlink', size: 0, mode: 0o777, linkTarget: '/bin/busybox' },
      { path: '/bin/ash', type: 'hardlink', size: 0, mode: 0o755, linkTarget: '/bin/busybox' },
      { path: '/dev/null', type: 'other', size: 0, mode: 0o666, linkTarget: null },
    ]);
  });

  it('rejects a corrupt archive instead of hanging', async () => {
    const junk = Readable.from([Buffer.alloc(1024, 7)]);
    await expect(readTarFileList(junk)).rejects.toThrow();
  });
});
