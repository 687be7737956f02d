// No text under 12 px anywhere (WCAG-minded floor for a dense tool): every font-size in the
// renderer's styles is checked, and nothing is dimmed with opacity (it lowers text contrast;
// dim with a paler color that keeps 4.5:1 instead).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(svelte|css|html)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const root = join(import.meta.dirname, '..', '..');
const files = sources(root);

describe('renderer styles', () => {
  it('set no font size under 12 px', () => {
    expect(files.length).toBeGreaterThan(10);
    const small: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/font-size:\s*([\d.]+)(px|em|rem|%)/g)) {
        const [, value, unit] = m;
        const px = unit === 'px' ? Number(value) : unit === '%' ? (Number(value) * 13) / 100 : Number(value) * 13;
        if (px < 12) small.push(`${f.slice(root.length)}: ${m[0]}`);
      }
      for (const m of text.matchAll(/font-size:\s*(x-small|xx-small|smaller|small)\b/g)) small.push(`${f.slice(root.length)}: ${m[0]}`);
    }
    expect(small).toEqual([]);
  });

  it('do not dim with opacity', () => {
    const dimmed = files.filter((f) => /[^-]opacity:\s*0?\.\d/.test(readFileSync(f, 'utf8')));
    expect(dimmed.map((f) => f.slice(root.length))).toEqual([]);
  });
});
