import { describe, expect, it } from 'vitest';
import { hexDump, looksLikeText, previewContent, TEXT_PREVIEW_LIMIT } from './preview.ts';

describe('preview', () => {
  it('treats UTF-8 without NUL as text, even when a character is cut at the end', () => {
    expect(looksLikeText(Buffer.from('hello\nwörld'))).toBe(true);
    const cut = Buffer.from('ab€');
    expect(looksLikeText(cut.subarray(0, cut.length - 1))).toBe(true);
  });

  it('treats NUL bytes and invalid UTF-8 as binary', () => {
    expect(looksLikeText(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]))).toBe(false);
    expect(looksLikeText(Buffer.from([0x61, 0xff, 0xfe, 0x62]))).toBe(false);
  });

  it('dumps hex like hexdump -C', () => {
    const dump = hexDump(Buffer.from('\x7fELF\x02\x01\x01\x00abcdefgh!', 'latin1'));
    expect(dump.split('\n')[0]).toBe('00000000  7f 45 4c 46 02 01 01 00  61 62 63 64 65 66 67 68  |.ELF....abcdefgh|');
    expect(dump.split('\n')[1]).toMatch(/^00000010 {2}21 +\|!\|$/);
  });

  it('says when it shows only the first MiB of a large text file', () => {
    const big = Buffer.alloc(TEXT_PREVIEW_LIMIT + 10, 'a');
    const p = previewContent(big, 2 * 1024 ** 3);
    expect(p.kind).toBe('text');
    expect(p.text.length).toBe(TEXT_PREVIEW_LIMIT);
    expect(p.truncated).toBe(true);
    expect(previewContent(Buffer.from('x'), 1).truncated).toBe(false);
  });
});
