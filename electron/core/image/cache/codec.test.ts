import { describe, expect, it } from 'vitest';
import type { LayerIndex } from '../types.ts';
import { CODEC_VERSION, decodeLayer, encodeLayer, LayerDecoder, OLDEST_CODEC_VERSION } from './codec.ts';

const layer: LayerIndex = {
  diffId: 'sha256:' + 'a'.repeat(64),
  entries: [
    { path: '/etc', type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, linkTarget: null, hash: null },
    {
      path: '/etc/passwd',
      type: 'file',
      size: 12,
      mode: 0o644,
      uid: 0,
      gid: 0,
      linkTarget: null,
      hash: 'b'.repeat(64),
      mtime: 1700000000.25,
    },
    { path: '/bin/sh', type: 'symlink', size: 0, mode: 0o777, uid: 1, gid: 2, linkTarget: 'dash', hash: null },
    { path: '/bin/empty-link', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: '', hash: null },
    { path: '/bin/ln', type: 'hardlink', size: 12, mode: 0o4755, uid: 0, gid: 0, linkTarget: '/etc/passwd', hash: 'b'.repeat(64) },
    { path: '/dev/null', type: 'char', size: 0, mode: 0o666, uid: 0, gid: 0, linkTarget: null, hash: null, mtime: -1 },
    { path: '/epoch', type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, linkTarget: null, hash: 'c'.repeat(64), mtime: 0 },
    { path: '/run/fifo', type: 'fifo', size: 0, mode: 0o600, uid: 0, gid: 0, linkTarget: null, hash: null },
  ],
  whiteouts: ['/old'],
  opaqueDirs: ['/var/cache'],
  size: 12,
  tarBytes: 10240,
};

const bytes = (l: LayerIndex): Buffer => Buffer.concat([...encodeLayer(l)]);

/** The columnar JSON StageScope wrote as codec versions 1 and 2 (the snapshot store still holds such pins). */
function jsonText(l: LayerIndex, v: 1 | 2): string {
  const codes = { file: 'f', dir: 'd', symlink: 'l', hardlink: 'h', char: 'c', block: 'b', fifo: 'p' };
  const e = l.entries;
  return JSON.stringify({
    v,
    diffId: l.diffId,
    size: l.size,
    tarBytes: l.tarBytes,
    whiteouts: l.whiteouts,
    opaqueDirs: l.opaqueDirs,
    paths: e.map((m) => m.path),
    types: e.map((m) => codes[m.type]).join(''),
    sizes: e.map((m) => m.size),
    modes: e.map((m) => m.mode),
    uids: e.map((m) => m.uid),
    gids: e.map((m) => m.gid),
    links: e.map((m) => m.linkTarget ?? ''),
    hashes: e.map((m) => m.hash ?? ''),
    ...(v === 2 ? { mtimes: e.map((m) => m.mtime ?? null) } : {}),
  });
}

describe('layer codec', () => {
  it('round-trips every field of every entry type, in order', () => {
    expect(decodeLayer(bytes(layer), layer.diffId)).toEqual(layer);
  });

  it('decodes the same from chunks of any size (a file read piecewise)', () => {
    const all = bytes(layer);
    for (const size of [1, 3, 7, 64, 1000]) {
      const d = new LayerDecoder(layer.diffId);
      for (let i = 0; i < all.length; i += size) expect(d.push(all.subarray(i, i + size))).toBe(true);
      expect(d.end()).toEqual(layer);
    }
  });

  it('streams a big layer in chunks of about 1 MB, and keeps UTF-8 paths', () => {
    const entries = Array.from({ length: 30_000 }, (_, i) => ({
      ...layer.entries[1]!,
      path: `/données/${'x'.repeat(i % 50)}/f${i}`,
      hash: i.toString(16).padStart(64, '0'),
    }));
    const big = { ...layer, entries };
    const chunks = [...encodeLayer(big)];
    expect(chunks.length).toBeGreaterThan(2);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1024 * 1024);
    expect(decodeLayer(Buffer.concat(chunks), big.diffId)).toEqual(big);
  });

  it('refuses another diffId, another version, truncated, extended or inconsistent bytes', () => {
    const data = bytes(layer);
    expect(decodeLayer(data, 'sha256:' + 'c'.repeat(64))).toBeNull();
    const newer = Buffer.from(data);
    newer.writeUInt32LE(CODEC_VERSION + 1, 4);
    expect(decodeLayer(newer, layer.diffId)).toBeNull();
    for (const cut of [5, 20, data.length / 2, data.length - 1]) expect(decodeLayer(data.subarray(0, cut), layer.diffId)).toBeNull();
    expect(decodeLayer(Buffer.concat([data, Buffer.from([0])]), layer.diffId)).toBeNull();
    const badType = Buffer.from(data);
    badType[12 + badType.readUInt32LE(8)] = 7; // the first entry's flags: type code 7 does not exist
    expect(decodeLayer(badType, layer.diffId)).toBeNull();
    expect(decodeLayer('not a layer', layer.diffId)).toBeNull();
  });

  it('refuses to write a hash that is not sha256 hex (it could not be read back as written)', () => {
    const bad = { ...layer, entries: [{ ...layer.entries[1]!, hash: 'xyz' }] };
    expect(() => bytes(bad)).toThrow(/not sha256 hex/);
  });

  it('keeps mtimes, fractions and times before 1970 included, and leaves an unknown one unknown', () => {
    const back = decodeLayer(bytes(layer), layer.diffId)!;
    expect(back.entries.map((e) => e.mtime)).toEqual([undefined, 1700000000.25, undefined, undefined, undefined, -1, 0, undefined]);
  });

  it('reads the JSON of versions 1 and 2 only when asked to, as the snapshot store does', () => {
    expect(OLDEST_CODEC_VERSION).toBe(1);
    const v2 = jsonText(layer, 2);
    const v1 = jsonText(layer, 1);
    // The layer cache re-parses instead of serving an older form.
    expect(decodeLayer(v2, layer.diffId)).toBeNull();
    expect(decodeLayer(v1, layer.diffId)).toBeNull();
    expect(decodeLayer(v2, layer.diffId, OLDEST_CODEC_VERSION)).toEqual(layer);
    const old = decodeLayer(v1, layer.diffId, OLDEST_CODEC_VERSION)!;
    expect(old.entries.map((e) => e.path)).toEqual(layer.entries.map((e) => e.path));
    expect(old.entries.every((e) => e.mtime === undefined)).toBe(true);
    // A version 2 text without its mtimes column is inconsistent, not version 1.
    const broken = JSON.parse(v2) as { mtimes?: unknown };
    delete broken.mtimes;
    expect(decodeLayer(JSON.stringify(broken), layer.diffId, OLDEST_CODEC_VERSION)).toBeNull();
    const badTypes = JSON.parse(v2) as { types: string };
    badTypes.types = 'z'.repeat(layer.entries.length);
    expect(decodeLayer(JSON.stringify(badTypes), layer.diffId, OLDEST_CODEC_VERSION)).toBeNull();
    expect(decodeLayer(v2.slice(0, v2.length / 2), layer.diffId, OLDEST_CODEC_VERSION)).toBeNull();
  });
});
