import { describe, expect, it } from 'vitest';
import type { LayerIndex } from '../types.ts';
import { CODEC_VERSION, decodeLayer, encodeLayer } from './codec.ts';

const layer: LayerIndex = {
  diffId: 'sha256:' + 'a'.repeat(64),
  entries: [
    { path: '/etc', type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, linkTarget: null, hash: null },
    { path: '/etc/passwd', type: 'file', size: 12, mode: 0o644, uid: 0, gid: 0, linkTarget: null, hash: 'b'.repeat(64) },
    { path: '/bin/sh', type: 'symlink', size: 0, mode: 0o777, uid: 1, gid: 2, linkTarget: 'dash', hash: null },
    { path: '/bin/empty-link', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: '', hash: null },
    { path: '/bin/ln', type: 'hardlink', size: 12, mode: 0o4755, uid: 0, gid: 0, linkTarget: '/etc/passwd', hash: 'b'.repeat(64) },
    { path: '/dev/null', type: 'char', size: 0, mode: 0o666, uid: 0, gid: 0, linkTarget: null, hash: null },
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
});
