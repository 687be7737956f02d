import { describe, expect, it } from 'vitest';
import { normalizeEntryPath, pathDepth, resolveArchiveLink } from './paths.ts';

describe('normalizeEntryPath', () => {
  it.each([
    ['./usr/bin/go', '/usr/bin/go'],
    ['usr/bin/go', '/usr/bin/go'],
    ['usr/lib/', '/usr/lib'],
    ['./', '/'],
    ['.', '/'],
    ['/etc/passwd', '/etc/passwd'],
    ['../../etc/passwd', '/etc/passwd'],
    ['a/../../../b', '/b'],
    ['a/./b//c/', '/a/b/c'],
    ['a/b/..', '/a'],
    ['..', '/'],
    ['.hidden/..x', '/.hidden/..x'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeEntryPath(input)).toBe(expected);
  });

  it('never climbs above the root', () => {
    for (const name of ['../x', '../../../../x', 'a/../../x', '/../x', './../x']) {
      expect(normalizeEntryPath(name)).toBe('/x');
    }
  });
});

describe('pathDepth', () => {
  it('counts components', () => {
    expect(pathDepth('/')).toBe(0);
    expect(pathDepth('/a')).toBe(1);
    expect(pathDepth('/a/b/c')).toBe(3);
  });
});

describe('resolveArchiveLink', () => {
  it('resolves a legacy layer symlink against its folder', () => {
    expect(resolveArchiveLink('abc/layer.tar', '../def/layer.tar')).toBe('def/layer.tar');
    expect(resolveArchiveLink('abc/layer.tar', '/def/layer.tar')).toBe('def/layer.tar');
  });
});
