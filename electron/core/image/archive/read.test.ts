import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../../shared/errors.ts';
import type { ArchiveContents } from '../types.ts';
import { readImageArchive } from './read.ts';
import {
  chunked,
  legacyArchive,
  makeTar,
  ociArchive,
  sha256,
  unpackTar,
  zstdRawFrame,
  type FixtureImage,
  type TarEntry,
} from './testing/archives.ts';

const helloContent = 'hello, world\n';
const goContent = Buffer.alloc(200_000, 'go'); // spans several chunks and tar blocks

async function baseLayer(): Promise<Buffer> {
  return makeTar([
    { name: './', type: 'directory' },
    { name: './bin/', type: 'directory', mode: 0o755 },
    { name: './bin/hello', content: helloContent, mode: 0o4755, uid: 1000, gid: 50 },
    { name: './bin/sh', type: 'symlink', linkname: 'busybox' },
    { name: './bin/busybox', content: 'BB' },
    { name: './bin/hello2', type: 'link', linkname: './bin/hello' },
    { name: './usr/bin/go', content: goContent, mode: 0o755 },
    { name: './dev/null', type: 'character-device', mode: 0o666 },
    { name: './tmp/fifo', type: 'fifo' },
    { name: './empty', content: '' },
  ]);
}

async function upperLayer(): Promise<Buffer> {
  return makeTar([
    { name: 'bin/', type: 'directory' }, // repeated unchanged directory
    { name: 'bin/.wh.busybox', content: '' },
    { name: 'usr/.wh..wh..opq', content: '' },
    { name: 'etc/.wh..wh.plnk', content: '' }, // other .wh..wh.* are ignored
    { name: 'etc/.wh.odd', type: 'link', linkname: 'whatever' }, // whiteouts by name only
    { name: 'etc/.wh..wh..opq', type: 'file', linkname: 'x' },
    { name: 'usr/local', type: 'directory' },
    { name: 'bin/link-out', type: 'link', linkname: 'bin/hello' }, // target in a lower layer
  ]);
}

function layerOf(c: ArchiveContents, tarBuf: Buffer) {
  const l = c.layers.get('sha256:' + sha256(tarBuf));
  expect(l).toBeDefined();
  return l!;
}

async function expectArchiveError(p: Promise<unknown>, pattern: RegExp): Promise<StageScopeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StageScopeError);
  const e = err as StageScopeError;
  expect(e.code).toBe('archive');
  expect(e.message).toMatch(pattern);
  return e;
}

describe('readImageArchive: entries', () => {
  it('reads paths, types, sizes, modes, owners, links and hashes from an OCI layout', async () => {
    const base = await baseLayer();
    const c = await readImageArchive(chunked(await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: base }] }])));
    expect(c.images).toHaveLength(1);
    const img = c.images[0]!;
    expect(img.repoTags).toEqual(['t/a:1']);
    expect(img.layers).toEqual(['sha256:' + sha256(base)]);
    expect(img.config.rootfs.diff_ids).toEqual(img.layers);
    const layer = layerOf(c, base);
    const byPath = new Map(layer.entries.map((e) => [e.path, e]));
    expect([...byPath.keys()]).toEqual([
      '/bin',
      '/bin/hello',
      '/bin/sh',
      '/bin/busybox',
      '/bin/hello2',
      '/usr/bin/go',
      '/dev/null',
      '/tmp/fifo',
      '/empty',
    ]);
    expect(byPath.get('/bin/hello')).toEqual({
      path: '/bin/hello',
      type: 'file',
      size: helloContent.length,
      mode: 0o4755,
      uid: 1000,
      gid: 50,
      linkTarget: null,
      hash: sha256(helloContent),
      mtime: 0, // makeTar's default: the epoch
    });
    expect(byPath.get('/bin/sh')).toMatchObject({ type: 'symlink', linkTarget: 'busybox', size: 0, hash: null });
    expect(byPath.get('/bin/hello2')).toMatchObject({
      type: 'hardlink',
      linkTarget: '/bin/hello',
      size: helloContent.length,
      hash: sha256(helloContent),
    });
    expect(byPath.get('/usr/bin/go')).toMatchObject({ type: 'file', size: goContent.length, hash: sha256(goContent), mode: 0o755 });
    expect(byPath.get('/dev/null')).toMatchObject({ type: 'char', mode: 0o666 });
    expect(byPath.get('/tmp/fifo')?.type).toBe('fifo');
    expect(byPath.get('/bin')?.type).toBe('dir');
    expect(byPath.get('/empty')).toMatchObject({ size: 0, hash: sha256('') });
    expect(layer.size).toBe(helloContent.length + 2 + goContent.length);
    expect(layer.tarBytes).toBe(base.length);
  });

  it('collects whiteouts and opaque dirs by basename and keeps repeated directories', async () => {
    const base = await baseLayer();
    const upper = await upperLayer();
    const c = await readImageArchive(chunked(await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: base }, { tar: upper }] }])));
    const layer = layerOf(c, upper);
    expect(layer.whiteouts).toEqual(['/bin/busybox', '/etc/odd']);
    expect(layer.opaqueDirs).toEqual(['/usr', '/etc']);
    expect(layer.entries.map((e) => e.path)).toEqual(['/bin', '/usr/local', '/bin/link-out']);
    // The target lives in a lower layer: the analysis resolves it.
    expect(layer.entries[2]).toMatchObject({ type: 'hardlink', linkTarget: '/bin/hello', size: 0, hash: null });
    expect(layer.size).toBe(0);
  });

  it('neutralises ../ and absolute names so nothing escapes the root', async () => {
    const evil = await makeTar([
      { name: '../../etc/passwd', content: 'root' },
      { name: '/abs/file', content: 'a' },
      { name: 'a/../../b', content: 'b' },
      { name: 'x', type: 'link', linkname: '../../etc/passwd' },
      { name: '../.wh.gone', content: '' },
    ]);
    const c = await readImageArchive(chunked(await ociArchive([{ tags: [], layers: [{ tar: evil }] }])));
    const layer = layerOf(c, evil);
    expect(layer.entries.map((e) => e.path)).toEqual(['/etc/passwd', '/abs/file', '/b', '/x']);
    expect(layer.entries[3]).toMatchObject({ linkTarget: '/etc/passwd', hash: sha256('root') });
    expect(layer.whiteouts).toEqual(['/gone']);
  });
});

describe('readImageArchive: layouts and compression', () => {
  it('shares one layer between two images and keeps both images', async () => {
    const base = await baseLayer();
    const upper = await upperLayer();
    const images: FixtureImage[] = [
      { tags: ['t/a:1'], layers: [{ tar: base }] },
      { tags: ['t/b:1'], layers: [{ tar: base }, { tar: upper }] },
    ];
    for (const build of [ociArchive, legacyArchive]) {
      const c = await readImageArchive(chunked(await build(images)));
      expect(c.images.map((i) => i.repoTags)).toEqual([['t/a:1'], ['t/b:1']]);
      expect(c.images[1]!.layers).toEqual(['sha256:' + sha256(base), 'sha256:' + sha256(upper)]);
      expect([...c.layers.keys()]).toEqual(c.images[1]!.layers);
      expect(c.images[0]!.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  it('resolves symlinked layer.tar files of the legacy layout', async () => {
    const base = await baseLayer();
    const archive = await legacyArchive([
      { tags: ['t/a:1'], layers: [{ tar: base }] },
      { tags: ['t/b:1'], layers: [{ tar: base }], history: [{ created_by: 'a different image' }] },
    ]);
    expect(archive.includes(Buffer.from('../'))).toBe(true); // the fixture really has a symlink
    const c = await readImageArchive(chunked(archive));
    expect(c.images).toHaveLength(2);
    expect(c.images[1]!.layers).toEqual(['sha256:' + sha256(base)]);
    expect(layerOf(c, base).entries.length).toBe(9);
  });

  it('reads gzip and zstd layer blobs and computes the diffId of the uncompressed tar', async () => {
    const base = await baseLayer();
    const upper = await upperLayer();
    const c = await readImageArchive(
      chunked(
        await ociArchive([
          {
            tags: ['t/z:1'],
            layers: [
              { tar: base, blob: gzipSync(base) },
              { tar: upper, blob: zstdRawFrame(upper) },
            ],
          },
        ]),
        65536,
      ),
    );
    expect(layerOf(c, base).entries.find((e) => e.path === '/usr/bin/go')?.hash).toBe(sha256(goContent));
    expect(layerOf(c, upper).whiteouts).toEqual(['/bin/busybox', '/etc/odd']);
    expect(layerOf(c, base).tarBytes).toBe(base.length);
  });

  it('gives a gzip layer of many inflated chunks the same index as the plain tar (the pipelined inflate keeps order and the last chunk)', async () => {
    // ~3 MB of distinct files: about 25 inflated chunks, parsed while the next one inflates.
    const files = Array.from({ length: 300 }, (_, i) => ({ name: `d/f${i}`, content: randomBytes(9000 + i) }));
    const tar = await makeTar(files);
    const read = async (blob?: Buffer) =>
      layerOf(await readImageArchive(chunked(await ociArchive([{ tags: ['t/g:1'], layers: [{ tar, blob }] }]), 65536)), tar);
    const [plain, gz] = [await read(), await read(gzipSync(tar))];
    expect(gz.entries).toEqual(plain.entries);
    expect(gz.tarBytes).toBe(tar.length);
    expect(gz.entries.find((e) => e.path === '/d/f299')?.hash).toBe(sha256(files[299]!.content));
  });

  it('reads an archive with only index.json (plain OCI layout)', async () => {
    const base = await baseLayer();
    const full = await ociArchive([{ tags: ['t/oci:1'], layers: [{ tar: base }] }]);
    // Rebuild without manifest.json.
    const kept = (await unpackTar(full)).filter((e) => e.name !== 'manifest.json');
    const c = await readImageArchive(chunked(await makeTar(kept)));
    expect(c.images.map((i) => i.repoTags)).toEqual([['t/oci:1']]);
    expect(layerOf(c, base).entries.length).toBe(9);
  });

  it('skips layers the caller does not want and reports progress', async () => {
    const base = await baseLayer();
    const upper = await upperLayer();
    const progress: number[] = [];
    const c = await readImageArchive(chunked(await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: base }, { tar: upper }] }])), {
      wantLayer: (d) => d !== 'sha256:' + sha256(base),
      onProgress: (p) => progress.push(p.layersDone),
    });
    expect([...c.layers.keys()]).toEqual(['sha256:' + sha256(upper)]);
    expect(c.images[0]!.layers).toHaveLength(2);
    expect(progress.at(-1)).toBe(1);
  });

  it('merges the tags of one image listed twice', async () => {
    const base = await baseLayer();
    const c = await readImageArchive(
      chunked(
        await legacyArchive([
          { tags: ['t/a:1'], layers: [{ tar: base }] },
          { tags: ['t/a:2'], layers: [{ tar: base }] },
        ]),
      ),
    );
    expect(c.images.map((i) => i.repoTags)).toEqual([['t/a:1', 't/a:2']]);
  });

  it('ignores a layer no manifest refers to', async () => {
    const base = await baseLayer();
    const stray = await makeTar([{ name: 'stray', content: 'x' }]);
    const archive = await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: base }] }]);
    const withStray = await appendEntries(archive, [{ name: `blobs/sha256/${sha256(stray)}`, content: stray }]);
    const c = await readImageArchive(chunked(withStray));
    expect([...c.layers.keys()]).toEqual(['sha256:' + sha256(base)]);
  });
});

/** Re-packs an archive with extra entries placed first. */
async function appendEntries(archive: Buffer, extra: TarEntry[]): Promise<Buffer> {
  return makeTar([...extra, ...(await unpackTar(archive))]);
}

describe('readImageArchive: errors', () => {
  it('rejects a truncated archive', async () => {
    const archive = await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: await baseLayer() }] }]);
    for (const cut of [archive.length - 1024 - 512, Math.floor(archive.length / 2), 1000]) {
      await expectArchiveError(readImageArchive(chunked(archive.subarray(0, cut))), /ends early|not a valid tar|has no/);
    }
  });

  it('rejects a layer tar truncated inside the archive', async () => {
    const base = await baseLayer();
    const cut = base.subarray(0, 512 * 3);
    const archive = await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: base, blob: cut }] }]);
    const e = await expectArchiveError(
      readImageArchive(chunked(archive)),
      /Layer blobs\/sha256\/[0-9a-f]+ (ends early|is not a valid tar)/,
    );
    expect(e.hint).toBeTruthy();
  });

  it('checks the digest of a layer the archive does not name by it (legacy layer.tar, compressed blobs)', async () => {
    const base = await baseLayer();
    const other = await upperLayer();
    // The config expects `base`; the archive carries `other` (a layer.tar, then a gzip blob).
    for (const archive of [
      await legacyArchive([{ tags: ['t/a:1'], layers: [{ tar: base, blob: other }] }]),
      await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: base, blob: gzipSync(other) }] }]),
    ])
      await expectArchiveError(readImageArchive(chunked(archive)), new RegExp(`content digest sha256:${sha256(other)}`));
  });

  it('rejects a corrupt gzip layer', async () => {
    const base = await baseLayer();
    const gz = gzipSync(base);
    gz.fill(0x55, 20, 60);
    const archive = await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: base, blob: gz }] }]);
    await expectArchiveError(readImageArchive(chunked(archive)), /is not valid gzip/);
  });

  it('rejects a truncated zstd layer', async () => {
    const base = await baseLayer();
    const z = zstdRawFrame(base);
    const archive = await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: base, blob: z.subarray(0, z.length - 100) }] }]);
    await expectArchiveError(readImageArchive(chunked(archive)), /zstd|ends early|not a valid tar/);
  });

  it('rejects a manifest that points at a missing blob', async () => {
    const base = await baseLayer();
    const archive = await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: base }] }]);
    const text = archive.toString('latin1');
    const hex = sha256(base);
    // Rename the layer blob in place (same length), leaving the manifest pointing at nothing.
    const renamed = Buffer.from(text.replace(`blobs/sha256/${hex}\0`, `blobs/sha256/${'0'.repeat(64)}\0`), 'latin1');
    fixChecksums(renamed);
    await expectArchiveError(readImageArchive(chunked(renamed)), new RegExp(`no blobs/sha256/${hex}`));
  });

  it('rejects JSON that does not parse', async () => {
    const base = await baseLayer();
    const archive = await ociArchive([{ tags: ['t/a:1'], layers: [{ tar: base }] }]);
    const broken = await appendEntries(archive, []);
    const text = broken.toString('latin1').replace('[{"Config"', '[{"Config"'.replace('{', '!'));
    const b = Buffer.from(text, 'latin1');
    await expectArchiveError(readImageArchive(chunked(b)), /manifest\.json in the image archive is not valid JSON|is not JSON/);
  });

  it('stops on a decompression bomb', async () => {
    const bomb = await makeTar([{ name: 'zeros', content: Buffer.alloc(8 * 1024 * 1024) }]);
    const archive = await ociArchive([{ tags: [], layers: [{ tar: bomb, blob: gzipSync(bomb) }] }]);
    await expectArchiveError(
      readImageArchive(chunked(archive, 65536), { limits: { maxInflatedBytes: 1024 * 1024, maxCompressionRatio: 50 } }),
      /decompression bomb/,
    );
  });

  it('enforces the entry and path limits', async () => {
    const base = await baseLayer();
    const archive = await ociArchive([{ tags: [], layers: [{ tar: base }] }]);
    await expectArchiveError(readImageArchive(chunked(archive), { limits: { maxEntries: 3 } }), /more than 3 layer entries/);
    await expectArchiveError(readImageArchive(chunked(archive), { limits: { maxPathDepth: 1 } }), /deeper than 1 folders/);
  });

  it('refuses a zstd frame that asks for a huge window before allocating it', async () => {
    const base = await baseLayer();
    const z = Buffer.from(zstdRawFrame(base));
    z[5] = 21 << 3; // window descriptor: 2 GiB
    const archive = await ociArchive([{ tags: [], layers: [{ tar: base, blob: z }] }]);
    await expectArchiveError(readImageArchive(chunked(archive)), /zstd window/);
  });

  it('rejects an entry name with a NUL byte and an over-long path', async () => {
    const nul = await makeTar([{ name: 'bin/a', pax: { path: 'bin/a\0/evil' }, content: 'x' }]);
    expect(nul.includes(Buffer.from('path=bin/a\0/evil'))).toBe(true); // carried in a PAX path record
    await expectArchiveError(readImageArchive(chunked(await ociArchive([{ tags: [], layers: [{ tar: nul }] }]))), /NUL byte/);
    const long = await makeTar([{ name: 'a/'.repeat(100) + 'f', content: 'x' }]);
    await expectArchiveError(
      readImageArchive(chunked(await ociArchive([{ tags: [], layers: [{ tar: long }] }])), { limits: { maxPathLength: 150 } }),
      /longer than 150 characters/,
    );
  });

  it('turns an abort into a cancelled error and destroys the input', async () => {
    const archive = await ociArchive([{ tags: [], layers: [{ tar: await baseLayer() }] }]);
    const ac = new AbortController();
    const input = chunked(archive, 512);
    let sent = 0;
    input.on('data', () => {
      if (++sent === 3) ac.abort();
    });
    const err = await readImageArchive(input, { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageScopeError);
    expect((err as StageScopeError).code).toBe('cancelled');
    expect(input.destroyed).toBe(true);
  });

  it('wraps a failing input stream', async () => {
    const { Readable } = await import('node:stream');
    const input = new Readable({
      read() {
        this.destroy(new Error('socket hang up'));
      },
    });
    await expectArchiveError(readImageArchive(input), /socket hang up/);
  });
});

/** Recomputes the header checksum of every tar header after an in-place edit. */
function fixChecksums(buf: Buffer): void {
  let off = 0;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/, '').trim() || '0', 8);
    off += 512 + Math.ceil(size / 512) * 512;
  }
}
