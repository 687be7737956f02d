import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../../shared/errors.ts';
import { layerEntryBytes } from './layer-entry.ts';
import { resolveLimits } from './limits.ts';
import { makeTar, sha256, zstdRawFrame } from './testing/archives.ts';

const big = randomBytes(300_000);
const entries = [
  { name: 'app/', type: 'directory' as const },
  { name: 'app/old.txt', content: 'old\n' },
  { name: './app/big.bin', content: big },
  { name: 'app/empty', content: '' },
  { name: 'app/link', type: 'symlink' as const, linkname: 'big.bin' },
  { name: 'app/tail.txt', content: 'tail\n' },
  { name: 'app/after.bin', content: randomBytes(400_000) },
];

/** The blob in chunks of `size`, counting how many chunks the reader pulled. */
function counted(blob: Buffer, size = 7919): { chunks: AsyncIterable<Buffer>; pulled: () => number; total: number } {
  let pulled = 0;
  return {
    chunks: (async function* () {
      for (let off = 0; off < blob.length; off += size) {
        pulled++;
        yield blob.subarray(off, off + size);
      }
    })(),
    pulled: () => pulled,
    total: Math.ceil(blob.length / size),
  };
}

async function read(chunks: AsyncIterable<Buffer>, path: string): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of layerEntryBytes(chunks, path, '2 of test', resolveLimits())) out.push(c);
  return Buffer.concat(out);
}

describe('layerEntryBytes', () => {
  it('streams one file out of a plain, gzip or zstd layer, and stops reading once it is out', async () => {
    const tarBytes = await makeTar(entries);
    for (const [kind, blob] of Object.entries({ tar: tarBytes, gzip: gzipSync(tarBytes), zstd: zstdRawFrame(tarBytes) })) {
      const src = counted(blob);
      const got = await read(src.chunks, '/app/big.bin');
      expect(sha256(got), kind).toBe(sha256(big));
      // What follows big.bin (after.bin, the end-of-archive marker) was never pulled.
      expect(src.pulled(), kind).toBeLessThan(src.total - 5);
      expect((await read(counted(blob).chunks, '/app/tail.txt')).toString(), kind).toBe('tail\n');
      expect((await read(counted(blob).chunks, '/app/empty')).length, kind).toBe(0);
    }
  });

  it('reads a gzip layer shorter than a tar header', async () => {
    const blob = gzipSync(await makeTar([{ name: 'a.txt', content: 'a\n' }]));
    expect(blob.length).toBeLessThan(512);
    expect((await read(counted(blob, 64).chunks, '/a.txt')).toString()).toBe('a\n');
  });

  it('a file the layer does not hold, or a blob that is no layer, is one sentence', async () => {
    const blob = await makeTar(entries);
    const missing = await read(counted(blob).chunks, '/app/nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(StageScopeError);
    expect((missing as StageScopeError).message).toBe(
      'Layer 2 of test no longer holds /app/nope: the image source changed since it was opened.',
    );
    // A symlink is not read as a file.
    await expect(read(counted(blob).chunks, '/app/link')).rejects.toMatchObject({ code: 'not-found' });
    await expect(read(counted(Buffer.from('{"not": "a layer"}')).chunks, '/x')).rejects.toThrow(
      'Layer 2 of test is not a tar, gzip or zstd layer.',
    );
    const cut = blob.subarray(0, 512 * 6);
    await expect(read(counted(cut).chunks, '/app/big.bin')).rejects.toThrow('Layer 2 of test ends inside /app/big.bin (truncated).');
  });
});
