import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { matcher } from './globs.ts';
import { CACHES } from './rules/caches.ts';

const OPTIONS = { dot: true, strictBrackets: true } as const;
const anchored = (g: string) => (g.startsWith('/') ? g : `**/${g}`);

/** What matcher() answered before it tested picomatch's regexes itself: picomatch's own matchers. */
function reference(globs: string[]) {
  const compiled = globs.map((g) => {
    const glob = anchored(g);
    return { test: picomatch(glob, OPTIONS), base: glob.endsWith('/**') ? glob.slice(0, -3) : null };
  });
  return (path: string, isDir = false) =>
    compiled.some((c) => c.test(path) && !(isDir && c.base !== null && picomatch.isMatch(path, c.base, OPTIONS)));
}

const GLOBS = [
  ...CACHES.flatMap((c) => c.globs),
  '*.a',
  '/usr/lib/go-*/pkg/**',
  '/etc/ssl/private/*',
  '**/.env',
  '/root/.ssh/id_*',
  '/opt/[ab]*/x?.txt',
  '/srv/{a,b}/**',
  '/exact/path',
  '!(*.md)',
];
const PATHS = [
  '/var/lib/apt/lists',
  '/var/lib/apt/lists/deb.debian.org_dists',
  '/root/.cache/pip/http/a/b',
  '/home/u/.npm/_cacache/index-v5/x',
  '/lib/libc.a',
  '/.a',
  '/usr/lib/go-1.24/pkg/tool/compile',
  '/usr/lib/go-1.24/pkg',
  '/etc/ssl/private/key.pem',
  '/app/.env',
  '/.env',
  '/root/.ssh/id_ed25519',
  '/opt/alpha/x1.txt',
  '/opt/c/x1.txt',
  '/srv/a/deep/file',
  '/srv/c/file',
  '/exact/path',
  '/exact/path/below',
  '/README.md',
  '/bin/sh',
  '/',
  '',
];

describe('matcher', () => {
  it('answers as picomatch matchers do, for files and folders', () => {
    for (const glob of GLOBS) {
      const mine = matcher([glob]);
      const theirs = reference([glob]);
      for (const path of PATHS) {
        expect([glob, path, mine(path)]).toEqual([glob, path, theirs(path)]);
        expect([glob, path, mine(path, true)]).toEqual([glob, path, theirs(path, true)]);
      }
    }
    const all = matcher(GLOBS);
    const allRef = reference(GLOBS);
    expect(PATHS.map((p) => all(p))).toEqual(PATHS.map((p) => allRef(p)));
    // The matches that make this comparison meaningful.
    expect(matcher(['/var/lib/apt/lists/**'])('/var/lib/apt/lists/x')).toBe(true);
    expect(matcher(['/var/lib/apt/lists/**'])('/var/lib/apt/lists', true)).toBe(false);
    expect(matcher(['*.a'])('/lib/libc.a')).toBe(true);
    expect(matcher(['/exact/path'])('/exact/path')).toBe(true);
  });
});
