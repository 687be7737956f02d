import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompress } from 'fzstd';
import { sniffBlob, zstdWindowSize } from './sniff.ts';
import { makeTar, zstdRawFrame } from './testing/archives.ts';

describe('sniffBlob', () => {
  it('tells tar, gzip, zstd, JSON and other apart', async () => {
    const t = await makeTar([{ name: 'a', content: 'x' }]);
    expect(sniffBlob(t)).toBe('tar');
    expect(sniffBlob(gzipSync(t))).toBe('gzip');
    expect(sniffBlob(zstdRawFrame(t))).toBe('zstd');
    expect(sniffBlob(Buffer.from(' {"a":1}'))).toBe('json');
    expect(sniffBlob(Buffer.from('[1]'))).toBe('json');
    expect(sniffBlob(Buffer.from('1.0'))).toBe('other');
    expect(sniffBlob(Buffer.alloc(1024))).toBe('tar'); // an empty layer
  });

  it('recognises a v7 tar header (no ustar magic) by its checksum', async () => {
    const t = Buffer.from(await makeTar([{ name: 'a', content: 'x' }]));
    t.fill(0, 257, 265);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : t[i]!;
    t.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    expect(sniffBlob(t)).toBe('tar');
    t[0] = t[0]! ^ 1; // breaks the checksum
    expect(sniffBlob(t)).toBe('other');
  });
});

describe('zstd test frame', () => {
  it('decodes with fzstd and reports its window', () => {
    const data = Buffer.alloc(300_000, 'abc');
    const frame = zstdRawFrame(data);
    expect(Buffer.from(decompress(frame)).equals(data)).toBe(true);
    expect(zstdWindowSize(frame)).toBe(128 * 1024);
  });
});
