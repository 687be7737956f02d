import { describe, expect, it } from 'vitest';
import { dir, file, hardlink, layer, symlink } from '../../image/testing/layers.ts';
import { locateContent } from './locate.ts';

const layers = [
  layer([dir('/app'), file('/app/a.txt', 'a1'), file('/app/base.txt', 'base'), file('/app/gone.txt', 'gone')]),
  layer([file('/app/a.txt', 'a2'), hardlink('/app/to-base', '/app/base.txt'), symlink('/app/sym', 'a.txt')], {
    whiteouts: ['/app/gone.txt'],
  }),
  layer([file('/app/same.txt', 'same'), { ...hardlink('/app/to-same', '/app/same.txt'), hash: 'h:same', size: 4 }]),
];

describe('locateContent', () => {
  it('finds the topmost layer that wrote a file', () => {
    expect(locateContent(layers, '/app/a.txt')).toMatchObject({ layer: 1, entry: { hash: 'h:a2' } });
    expect(locateContent(layers, '/app/base.txt')).toMatchObject({ layer: 0, entry: { hash: 'h:base' } });
  });

  it('follows a hardlink to its target in the same layer or below', () => {
    expect(locateContent(layers, '/app/to-same')).toMatchObject({ layer: 2, entry: { path: '/app/same.txt' } });
    expect(locateContent(layers, '/app/to-base')).toMatchObject({ layer: 0, entry: { path: '/app/base.txt' } });
  });

  it('refuses what has no content, and a link target above the link', () => {
    expect(() => locateContent(layers, '/app/sym')).toThrow('/app/sym is a symlink, not a regular file');
    expect(() => locateContent(layers, '/app/nope')).toThrow('/app/nope is in no layer of this image.');
    const upward = [layer([hardlink('/x', '/y')]), layer([file('/y')])];
    expect(() => locateContent(upward, '/x')).toThrow('/x links to /y, which is in no layer at or below its own.');
  });
});
