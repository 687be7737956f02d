// moby/patternmatcher, as fsutil's FilterFS applies it to what a BuildKit session sends: the
// Dockerfile frontend passes the `.dockerignore` lines as exclude patterns and lets the sender
// filter, so this must decide exactly as docker's own sender does (case-sensitive, a pattern
// matching a folder matches everything in it, `!` exceptions, the last matching line wins).
import { posix } from 'node:path';

interface Pattern {
  /** The cleaned pattern, without `!`. */
  text: string;
  exclusion: boolean;
  test: (path: string) => boolean;
}

/** Go's filepath.Clean for a slash path. */
function clean(p: string): string {
  const c = posix.normalize(p);
  return c.length > 1 && c.endsWith('/') ? c.slice(0, -1) : c;
}

/** patternmatcher's compile: exact, prefix (`a/**`), suffix (`**` + `/a`) or a regular expression. */
function compile(pattern: string): (path: string) => boolean {
  let re = '^';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  const chars = [...pattern];
  for (let i = 0, n = 0; i < chars.length; i++, n++) {
    const ch = chars[i];
    if (ch === '*' && chars[i + 1] === '*') {
      i++;
      if (chars[i + 1] === '/') i++; // `**/` is `**`
      if (i + 1 >= chars.length) {
        if (kind === 'exact') kind = 'prefix';
        else {
          re += '.*';
          kind = 'regexp';
        }
      } else {
        re += '(.*/)?';
        kind = 'regexp';
      }
      if (n === 0) kind = 'suffix';
    } else if (ch === '*') {
      re += '[^/]*';
      kind = 'regexp';
    } else if (ch === '?') {
      re += '[^/]';
      kind = 'regexp';
    } else if ('.+()|{}$'.includes(ch)) re += `\\${ch}`;
    else if (ch === '\\') {
      if (i + 1 < chars.length) {
        re += `\\${chars[++i]}`;
        kind = 'regexp';
      } else re += '\\\\';
    } else if (ch === '[' || ch === ']') {
      re += ch;
      kind = 'regexp';
    } else re += ch;
  }
  if (kind === 'exact') return (p) => p === pattern;
  if (kind === 'prefix') return (p) => p.startsWith(pattern.slice(0, -2));
  if (kind === 'suffix') {
    const suffix = pattern.slice(2);
    return (p) => p.endsWith(suffix) || (suffix.startsWith('/') && p === suffix.slice(1));
  }
  const regexp = new RegExp(`${re}$`);
  return (p) => regexp.test(p);
}

/** The pattern without a trailing `/**` or `/*`: what a folder must be a prefix of to hold a match. */
const withoutTrailingGlob = (p: Pattern) => p.text.replace(/\/\*\*$/, '').replace(/\/\*$/, '');
const GLOB_CHARS = /[*[\]?^\\]/;

export class PatternMatcher {
  readonly patterns: Pattern[] = [];
  readonly exclusions: boolean;

  constructor(lines: readonly string[]) {
    for (const line of lines) {
      let p = line.trim();
      if (!p) continue;
      p = clean(p);
      const exclusion = p.startsWith('!');
      if (exclusion) p = p.slice(1);
      if (!p) throw new Error('illegal exclusion pattern: "!"');
      this.patterns.push({ text: p, exclusion, test: compile(p) });
    }
    this.exclusions = this.patterns.some((p) => p.exclusion);
  }

  /**
   * MatchesUsingParentResults: `parent` holds, per pattern, whether the folder holding `path`
   * matched it (null at the top); the result's `info` is the same for `path`'s own children.
   */
  match(path: string, parent: boolean[] | null): { matched: boolean; info: boolean[] } {
    let matched = false;
    const info = new Array<boolean>(this.patterns.length).fill(false);
    this.patterns.forEach((pattern, i) => {
      let hit = parent?.[i] ?? false;
      if (!hit) {
        // An inclusion cannot change a match, an exclusion cannot change a non-match.
        if (pattern.exclusion !== matched) return;
        hit = pattern.test(path);
        if (!hit && parent === null) {
          const dirs = posix.dirname(path).split('/');
          if (dirs[0] !== '.') for (let n = 1; n <= dirs.length && !hit; n++) hit = pattern.test(dirs.slice(0, n).join('/'));
        }
      }
      info[i] = hit;
      if (hit) matched = !pattern.exclusion;
    });
    return { matched, info };
  }

  /** True when every pattern of this polarity is a plain path (maybe with a trailing glob). */
  onlyPrefixes(exclusion: boolean): boolean {
    return this.patterns.every((p) => p.exclusion !== exclusion || !GLOB_CHARS.test(withoutTrailingGlob(p)));
  }

  /** Could a pattern of this polarity match something inside folder `dir`? (prefix patterns only) */
  reachesInto(dir: string, exclusion: boolean): boolean {
    return this.patterns.some((p) => p.exclusion === exclusion && `${withoutTrailingGlob(p)}/`.startsWith(`${dir}/`));
  }
}
