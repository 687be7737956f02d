import { describe, expect, it } from 'vitest';
import type { LayerIndex } from '../types.ts';
import { CODEC_VERSION, decodeLayer, encodeLayer, OLDEST_CODEC_VERSION } from './codec.ts';

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

describe('layer codec', () => {
  it('round-trips every field of every entry type, in order', () => {
    expect(decodeLayer(encodeLayer(layer), layer.diffId)).toEqual(layer);
  });

  it('refuses another diffId, another version, truncated or inconsistent text', () => {
    const text = encodeLayer(layer);
    expect(decodeLayer(text, 'sha256:' + 'c'.repeat(64))).toBeNull();
    expect(decodeLayer(text.replace(`"v":${CODEC_VERSION}`, `"v":${CODEC_VERSION + 1}`), layer.diffId)).toBeNull();
    expect(decodeLayer(text.slice(0, text.length / 2), layer.diffId)).toBeNull();
    const bad = JSON.parse(text) as { types: string };
    bad.types = bad.types.slice(1);
    expect(decodeLayer(JSON.stringify(bad), layer.diffId)).toBeNull();
    bad.types = 'z'.repeat(layer.entries.length);
    expect(decodeLayer(JSON.stringify(bad), layer.diffId)).toBeNull();
  });

  it('keeps mtimes, fractions and times before 1970 included, and leaves an unknown one unknown', () => {
    const back = decodeLayer(encodeLayer(layer), layer.diffId)!;
    expect(back.entries.map((e) => e.mtime)).toEqual([undefined, 1700000000.25, undefined, undefined, undefined, -1, 0, undefined]);
  });

  it('reads a version 1 index (no mtimes) only when asked to, as the snapshot store does', () => {
    const v1 = JSON.parse(encodeLayer(layer)) as { v: number; mtimes?: unknown };
    v1.v = 1;
    delete v1.mtimes;
    const text = JSON.stringify(v1);
    expect(OLDEST_CODEC_VERSION).toBe(1);
    // The layer cache re-parses instead of serving entries without mtimes.
    expect(decodeLayer(text, layer.diffId)).toBeNull();
    const old = decodeLayer(text, layer.diffId, OLDEST_CODEC_VERSION)!;
    expect(old.entries.map((e) => e.path)).toEqual(layer.entries.map((e) => e.path));
    expect(old.entries.every((e) => e.mtime === undefined)).toBe(true);
    // A version 2 text without its mtimes column is inconsistent, not version 1.
    const broken = JSON.parse(encodeLayer(layer)) as { mtimes?: unknown };
    delete broken.mtimes;
    expect(decodeLayer(JSON.stringify(broken), layer.diffId)).toBeNull();
  });
});
