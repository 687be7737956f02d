// Owners too large for the 7 octal digits of a ustar header (max 2097151): BuildKit writes
// them as PAX `uid`/`gid` records, GNU tar as base-256 numbers. Before the fix the PAX
// records were ignored, so `chown 3000000:3000001` read as 0:0 and a chown-only layer
// showed no change at all.
import { describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../../shared/errors.ts';
import { analyzeImage, layerSummaries } from '../../project/stage-analysis.ts';
import { readImageArchive } from './read.ts';
import { chunked, makeTar, ociArchive, sha256 } from './testing/archives.ts';

const BIG_UID = 3_000_000;
const BIG_GID = 3_000_001;

/** Writes `value` as a GNU base-256 number into the 8-byte field at `offset` of the first header. */
function setBase256(tarBuf: Buffer, offset: number, value: number): void {
  tarBuf[offset] = 0x80;
  for (let i = 7; i >= 1; i--) {
    tarBuf[offset + i] = value % 256;
    value = Math.floor(value / 256);
  }
}

function fixChecksum(tarBuf: Buffer): void {
  tarBuf.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += tarBuf[i]!;
  tarBuf.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
}

async function read(layers: Buffer[]) {
  const archive = await ociArchive([{ tags: ['t/owners:1'], layers: layers.map((tar) => ({ tar })) }]);
  return readImageArchive(chunked(archive));
}

describe('large owners in layer tars', () => {
  it('reads PAX uid/gid records', async () => {
    const layer = await makeTar([
      {
        name: 'owned',
        content: 'x',
        pax: { uid: String(BIG_UID), gid: String(BIG_GID), uname: 'big', gname: 'big', mtime: '1700000000.123456789' },
      },
    ]);
    const c = await read([layer]);
    expect(c.layers.get('sha256:' + sha256(layer))!.entries[0]).toMatchObject({ path: '/owned', uid: BIG_UID, gid: BIG_GID });
  });

  it('reads GNU base-256 uid/gid fields', async () => {
    const layer = await makeTar([{ name: 'owned', content: 'x' }]);
    setBase256(layer, 108, BIG_UID);
    setBase256(layer, 116, BIG_GID);
    fixChecksum(layer);
    const c = await read([layer]);
    expect(c.layers.get('sha256:' + sha256(layer))!.entries[0]).toMatchObject({ path: '/owned', uid: BIG_UID, gid: BIG_GID });
  });

  it('a chown-only layer to 3000000:3000001 is a change', async () => {
    const base = await makeTar([{ name: 'owned', content: 'same' }]);
    const chown = await makeTar([{ name: 'owned', content: 'same', pax: { uid: String(BIG_UID), gid: String(BIG_GID) } }]);
    const c = await read([base, chown]);
    const image = c.images[0]!;
    const summaries = layerSummaries(analyzeImage({ image, allLayers: c.layers }));
    expect(summaries[1]).toMatchObject({ added: 0, modified: 1, removed: 0 });
  });

  it('refuses a PAX uid that is not a number, in one sentence', async () => {
    const layer = await makeTar([{ name: 'owned', content: 'x', pax: { uid: '-5' } }]);
    const err = await read([layer]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageScopeError);
    expect((err as Error).message).toMatch(/uid is not a valid number/);
  });
});
