import { describe, expect, it } from 'vitest';
import type { FileMeta } from '../../../shared/model.ts';
import { attributeCopy, expandSource, resolvePath } from './copies.ts';
import { buildTree } from './apply-layer.ts';
import { dir, file, layer, symlink } from './testing/layers.ts';

const source = buildTree([
  layer([
    dir('/out'),
    file('/out/app', 'APP'),
    symlink('/out/link', 'app'),
    dir('/out/lib'),
    file('/out/lib/a.so', 'AAAA'),
    file('/out/lib/b.so', 'BB'),
    dir('/out/lib/sub'),
    file('/out/lib/sub/c.txt', 'C'),
    dir('/src'),
    file('/src/main.go', 'package main'),
    symlink('/current', '/out/lib'),
  ]),
]).tree;

const baseLayer = layer([dir('/bin'), file('/bin/sh', 'sh'), dir('/srv')]);

/** The destination stage: its base, plus the layer the COPY made. */
function copyInto(entries: FileMeta[], srcPaths: string[], dest: string, workdir = '/') {
  const destLayer = layer(entries);
  const { tree } = buildTree([baseLayer, destLayer]);
  return attributeCopy({ destTree: tree, destLayer, sourceTree: source, srcPaths, dest, workdir });
}

describe('attributeCopy', () => {
  it('a file to a file path', () => {
    const files = copyInto(
      [dir('/usr'), dir('/usr/local'), dir('/usr/local/bin'), file('/usr/local/bin/myapp', 'APP')],
      ['/out/app'],
      '/usr/local/bin/myapp',
    );
    expect(files).toEqual([{ path: '/usr/local/bin/myapp', sourcePath: '/out/app', sourceResolved: true, size: 3, identical: true }]);
  });

  it('a file into a directory written with a trailing slash, or an existing one without', () => {
    expect(copyInto([file('/opt/app', 'APP')], ['/out/app'], '/opt/')).toEqual([
      { path: '/opt/app', sourcePath: '/out/app', sourceResolved: true, size: 3, identical: true },
    ]);
    expect(copyInto([file('/bin/app', 'APP')], ['/out/app'], '/bin')).toEqual([
      { path: '/bin/app', sourcePath: '/out/app', sourceResolved: true, size: 3, identical: true },
    ]);
  });

  it("a directory's contents into dest, recursively", () => {
    const files = copyInto(
      [
        dir('/app'),
        dir('/app/lib'),
        file('/app/lib/a.so', 'AAAA'),
        file('/app/lib/b.so', 'BB'),
        dir('/app/lib/sub'),
        file('/app/lib/sub/c.txt', 'C'),
      ],
      ['/out/lib'],
      '/app/lib',
    );
    expect(files.map((f) => [f.path, f.sourcePath, f.size, f.identical])).toEqual([
      ['/app/lib/a.so', '/out/lib/a.so', 4, true],
      ['/app/lib/b.so', '/out/lib/b.so', 2, true],
      ['/app/lib/sub/c.txt', '/out/lib/sub/c.txt', 1, true],
    ]);
  });

  it('a relative dest against WORKDIR', () => {
    expect(copyInto([file('/srv/app', 'APP')], ['out/app'], '.', '/srv')).toEqual([
      { path: '/srv/app', sourcePath: '/out/app', sourceResolved: true, size: 3, identical: true },
    ]);
    expect(copyInto([dir('/srv/bin'), file('/srv/bin/app', 'APP')], ['/out/app'], './bin/', '/srv')[0].path).toBe('/srv/bin/app');
  });

  it('globs, one component at a time, and several sources into a directory', () => {
    const files = copyInto(
      [dir('/libs'), file('/libs/a.so', 'AAAA'), file('/libs/b.so', 'BB'), file('/libs/main.go', 'package main')],
      ['/out/lib/*.so', '/src/main.go'],
      '/libs/',
    );
    expect(files.map((f) => [f.path, f.sourcePath])).toEqual([
      ['/libs/a.so', '/out/lib/a.so'],
      ['/libs/b.so', '/out/lib/b.so'],
      ['/libs/main.go', '/src/main.go'],
    ]);
    expect(expandSource(source, '/out/*/?.so').map((m) => m.path)).toEqual(['/out/lib/a.so', '/out/lib/b.so']);
    expect(expandSource(source, '/out/lib/[ab].so').map((m) => m.path)).toEqual(['/out/lib/a.so', '/out/lib/b.so']);
    expect(expandSource(source, '/out/lib/[!a].so').map((m) => m.path)).toEqual(['/out/lib/b.so']);
  });

  it('follows a symlink given as the source, and copies symlinks inside as symlinks', () => {
    const viaLink = copyInto(
      [dir('/x'), file('/x/a.so', 'AAAA'), file('/x/b.so', 'BB'), dir('/x/sub'), file('/x/sub/c.txt', 'C')],
      ['/current/'],
      '/x/',
    );
    expect(viaLink.map((f) => f.sourcePath)).toEqual(['/out/lib/a.so', '/out/lib/b.so', '/out/lib/sub/c.txt']);
    const links = copyInto([dir('/app'), file('/app/app', 'APP'), symlink('/app/link', 'app')], ['/out'], '/app');
    expect(links).toEqual([
      { path: '/app/app', sourcePath: '/out/app', sourceResolved: true, size: 3, identical: true },
      { path: '/app/link', sourcePath: '/out/link', sourceResolved: true, size: 0, identical: true },
    ]);
  });

  it('says when a copied file differs from its source', () => {
    const files = copyInto([file('/opt/app', 'APP but patched')], ['/out/app'], '/opt/');
    expect(files).toEqual([{ path: '/opt/app', sourcePath: '/out/app', sourceResolved: true, size: 15, identical: false }]);
  });

  it('pairs an entry by content when the path plan misses it, and says when nothing matches', () => {
    const files = copyInto([file('/renamed', 'BB'), file('/unknown', 'zzz')], ['/nope'], '/');
    expect(files).toEqual([
      { path: '/renamed', sourcePath: '/out/lib/b.so', sourceResolved: false, size: 2, identical: true },
      { path: '/unknown', sourcePath: null, sourceResolved: false, size: 3, identical: false },
    ]);
  });
});

describe('resolvePath', () => {
  it('resolves relative paths, . and ..', () => {
    expect(resolvePath('./bin/../lib/', '/srv')).toBe('/srv/lib');
    expect(resolvePath('/abs', '/srv')).toBe('/abs');
    expect(resolvePath('.', '/')).toBe('/');
  });
});
