import { describe, expect, it } from 'vitest';
import { baseName, joinPath, parentPath } from './paths.ts';

describe('image paths', () => {
  it('join, parent and base name agree at the root and below it', () => {
    expect(joinPath('/', 'etc')).toBe('/etc');
    expect(joinPath('/etc', 'passwd')).toBe('/etc/passwd');
    expect(parentPath('/etc/passwd')).toBe('/etc');
    expect(parentPath('/etc')).toBe('/');
    expect(parentPath('/')).toBe('/');
    expect(baseName('/etc/.wh.passwd')).toBe('.wh.passwd');
    for (const p of ['/etc', '/usr/bin/go']) expect(joinPath(parentPath(p), baseName(p))).toBe(p);
  });
});
