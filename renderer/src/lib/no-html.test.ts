// Strings from images and Dockerfiles must render as text: no component may use {@html}.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? svelteFiles(join(dir, e.name)) : e.name.endsWith('.svelte') ? [join(dir, e.name)] : [],
  );
}

describe('renderer components', () => {
  it('never render raw HTML', () => {
    const files = svelteFiles(join(import.meta.dirname, '..'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => /\{@html\b/.test(readFileSync(f, 'utf8')) || /innerHTML\s*=/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
