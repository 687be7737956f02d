// What a blob is, from its first bytes: a `docker save` archive does not say which blob is a
// layer until manifest.json, which usually comes last.

export type BlobKind = 'gzip' | 'zstd' | 'tar' | 'json' | 'other';

/** Bytes needed to tell a tar apart (one header block). */
export const SNIFF_BYTES = 512;

export function sniffBlob(head: Uint8Array): BlobKind {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head.length >= SNIFF_BYTES && looksLikeTarHeader(head)) return 'tar';
  for (let i = 0; i < head.length; i++) {
    const c = head[i]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b /* { */ || c === 0x5b /* [ */ ? 'json' : 'other';
  }
  return 'other';
}

function looksLikeTarHeader(h: Uint8Array): boolean {
  // POSIX ustar and GNU tar both start their magic with "ustar" at 257.
  if (h[257] === 0x75 && h[258] === 0x73 && h[259] === 0x74 && h[260] === 0x61 && h[261] === 0x72) return true;
  // An empty layer is just the end-of-archive marker: zero blocks.
  let allZero = true;
  for (let i = 0; i < SNIFF_BYTES; i++)
    if (h[i] !== 0) {
      allZero = false;
      break;
    }
  if (allZero) return true;
  return checksumMatches(h); // old v7 tar without magic
}

function checksumMatches(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < SNIFF_BYTES; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  const field = Buffer.from(h.subarray(148, 156))
    .toString('latin1')
    .replace(/[\0 ]+$/g, '')
    .trim();
  return /^[0-7]+$/.test(field) && parseInt(field, 8) === sum;
}

/** zstd frame header: the window the decoder will allocate, or null when it cannot tell yet. */
export function zstdWindowSize(head: Uint8Array): number | null {
  if (head.length < 6) return null;
  const flags = head[4]!;
  const singleSegment = (flags >> 5) & 1;
  const fcsFlag = flags >> 6;
  if (!singleSegment) {
    const wd = head[5]!;
    const base = 2 ** (10 + (wd >> 3));
    return base + (base / 8) * (wd & 7);
  }
  // Single segment: no window descriptor; the window is the frame content size.
  const at = 5 + [0, 1, 2, 4][flags & 3]!;
  const sizeBytes = fcsFlag === 0 ? 1 : 1 << fcsFlag;
  if (head.length < at + sizeBytes) return null;
  let size = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + head[at + i]!;
  return fcsFlag === 1 ? size + 256 : size;
}
