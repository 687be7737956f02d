// Turns the first bytes of a file into what the preview shows: UTF-8 text when the bytes are
// text, a hex dump otherwise. Pure, so it is tested without an engine.
import type { FilePreview } from '../../../shared/api.ts';
import type { FileMeta } from '../../../shared/model.ts';

export const TEXT_PREVIEW_LIMIT = 1024 * 1024;
export const HEX_PREVIEW_LIMIT = 64 * 1024;

/** Text when there is no NUL byte and the bytes decode as UTF-8 (a cut multibyte tail is fine). */
export function looksLikeText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return false;
  try {
    // Trim up to 3 bytes of a multibyte character cut at the end of the sample.
    let end = sample.length;
    while (end > 0 && end > sample.length - 4 && (sample[end - 1] & 0xc0) === 0x80) end--;
    if (end > 0 && sample[end - 1] >= 0xc0) end--;
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** `00000000  7f 45 4c 46 ...  |.ELF....|` lines, like `hexdump -C`. */
export function hexDump(bytes: Buffer): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return lines.join('\n');
}

export function previewContent(bytes: Buffer, size: number): { kind: 'text' | 'binary'; text: string; truncated: boolean } {
  if (looksLikeText(bytes)) {
    const shown = bytes.subarray(0, TEXT_PREVIEW_LIMIT);
    return { kind: 'text', text: new TextDecoder('utf-8').decode(shown), truncated: size > shown.length };
  }
  const shown = bytes.subarray(0, HEX_PREVIEW_LIMIT);
  return { kind: 'binary', text: hexDump(shown), truncated: size > shown.length };
}

/**
 * file.preview of one entry of a stage or an opened image: its metadata always; a regular
 * file's first bytes through `head`, or the sentence saying why its content cannot be read.
 */
export async function previewEntry(
  meta: FileMeta,
  head: (() => Promise<{ bytes: Buffer; size: number }>) | { unavailable: string },
): Promise<FilePreview> {
  if (meta.type === 'symlink') return { meta, kind: 'symlink', text: meta.linkTarget, truncated: false };
  if (meta.type === 'dir') return { meta, kind: 'directory', text: null, truncated: false };
  if (meta.type !== 'file' && meta.type !== 'hardlink') return { meta, kind: 'special', text: null, truncated: false };
  if (typeof head !== 'function') return { meta, kind: 'binary', text: null, truncated: false, unavailable: head.unavailable };
  const { bytes, size } = await head();
  const p = previewContent(bytes, size);
  return { meta, kind: p.kind, text: p.text, truncated: p.truncated };
}
