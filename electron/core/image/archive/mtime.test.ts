// Modification times as layer tars carry them: whole seconds in the ustar header (octal, or
// GNU base-256 past 8^11 s), fractions in a PAX `mtime` record (BuildKit and GNU tar --format=pax
// write one). docker build copies them from the context, so they are what `--include mtime` shows.
import { describe, expect, it } from 'vitest';
import { readImageArchive } from './read.ts';
import { chunked, makeTar, ociArchive, sha256, type TarEntry } from './testing/archives.ts';

async function mtimesOf(entries: TarEntry[], patch?: (tar: Buffer) => void): Promise<(number | undefined)[]> {
  const layer = await makeTar(entries);
  patch?.(layer);
  const archive = await ociArchive([{ tags: ['t/mtime:1'], layers: [{ tar: layer }] }]);
  const c = await readImageArchive(chunked(archive));
  return c.layers.get('sha256:' + sha256(layer))!.entries.map((e) => e.mtime);
}

describe('mtime of layer entries', () => {
  it('reads the header seconds of files, folders and symlinks', async () => {
    const at = new Date(1_700_000_000_000);
    expect(
      await mtimesOf([
        { name: 'etc/', type: 'directory', mtime: at },
        { name: 'etc/a', content: 'a', mtime: new Date(1_600_000_000_000) },
        { name: 'etc/l', type: 'symlink', linkname: 'a', mtime: at },
      ]),
    ).toEqual([1_700_000_000, 1_600_000_000, 1_700_000_000]);
  });

  it('keeps the fraction of a PAX mtime record, and falls back to the header when the record is malformed', async () => {
    const at = new Date(1_700_000_000_000);
    expect(
      await mtimesOf([
        { name: 'frac', content: 'x', mtime: at, pax: { mtime: '1700000000.123456789' } },
        { name: 'bad', content: 'x', mtime: at, pax: { mtime: 'yesterday' } },
      ]),
    ).toEqual([Number('1700000000.123456789'), 1_700_000_000]);
  });

  it('reads a GNU base-256 mtime (past what 11 octal digits hold)', async () => {
    const far = 2 ** 34; // year 2514
    const patch = (tar: Buffer) => {
      tar[136] = 0x80;
      let v = far;
      for (let i = 11; i >= 1; i--) {
        tar[136 + i] = v % 256;
        v = Math.floor(v / 256);
      }
      tar.fill(0x20, 148, 156);
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += tar[i]!;
      tar.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    };
    expect(await mtimesOf([{ name: 'future', content: 'x' }], patch)).toEqual([far]);
  });
});
