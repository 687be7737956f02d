// Reading one layer index file in chunks through the codec's decoder: a big layer's file is never
// held whole. (Writers pass encodeLayer's chunks to writeFileAtomic.)
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { LayerIndex } from '../types.ts';
import { CODEC_VERSION, LayerDecoder } from './codec.ts';

const READ_CHUNK = 1024 * 1024;

/** The layer in `file`, or null when it holds something else; throws when it cannot be read (absent). */
export async function readLayerFile(file: string, diffId: string, oldest = CODEC_VERSION): Promise<LayerIndex | null> {
  const decoder = new LayerDecoder(diffId, oldest);
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0 || !decoder.push(buf.subarray(0, bytesRead))) break;
    }
  } finally {
    await handle.close();
  }
  return decoder.end();
}

/** readLayerFile without awaiting (trees built lazily, on a view's request). */
export function readLayerFileSync(file: string, diffId: string, oldest = CODEC_VERSION): LayerIndex | null {
  const decoder = new LayerDecoder(diffId, oldest);
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0 || !decoder.push(buf.subarray(0, n))) break;
    }
  } finally {
    closeSync(fd);
  }
  return decoder.end();
}
