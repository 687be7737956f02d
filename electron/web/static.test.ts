import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentType, resolveStaticPath } from './static.ts';
import { packageRoot, rendererStaticDir } from './static-dir.ts';

describe('resolveStaticPath', () => {
  const root = '/srv/out/renderer';
  it('maps / to index.html and plain paths inside the root', () => {
    expect(resolveStaticPath(root, '/')).toBe('/srv/out/renderer/index.html');
    expect(resolveStaticPath(root, '/assets/a%20b.js')).toBe('/srv/out/renderer/assets/a b.js');
  });
  it('refuses dot-dot (plain, encoded, mixed case), backslashes, NUL and malformed escapes', () => {
    for (const p of ['/../x', '/a/../../x', '/%2e%2e/x', '/%2E%2e%2fx', '/..%2fx', '/a%5c..%5cx', '/%00', '/%E0%A4%A', '/..']) {
      expect(resolveStaticPath(root, p), p).toBeNull();
    }
  });
  it('knows the content types the renderer needs', () => {
    expect(contentType('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentType('a.css')).toBe('text/css; charset=utf-8');
    expect(contentType('a.unknown')).toBe('application/octet-stream');
  });
});

describe('rendererStaticDir', () => {
  let dir = '';
  afterAll(async () => dir && rm(dir, { recursive: true, force: true }));
  it('finds out/renderer under the package root, or says how to build it', async () => {
    expect(packageRoot()).toBe(path.resolve(import.meta.dirname, '../..'));
    dir = await mkdtemp(path.join(tmpdir(), 'stagescope-static-'));
    expect(() => rendererStaticDir(dir)).toThrow(expect.objectContaining({ code: 'usage', hint: 'Run `npm run build:renderer` first.' }));
    await mkdir(path.join(dir, 'out', 'renderer'), { recursive: true });
    await writeFile(path.join(dir, 'out', 'renderer', 'index.html'), '');
    expect(rendererStaticDir(dir)).toBe(path.join(dir, 'out', 'renderer'));
  });
});
