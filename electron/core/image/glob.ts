// The tree filter's glob, matched by simulating its automaton over the input: every input
// character advances the set of live pattern positions once, so a match costs at most
// (input length × pattern length) steps whatever the pattern. A RegExp built from the glob
// backtracked exponentially: `*` ×1000 + `a` kept the host busy for minutes, 18 stars against
// one 40-character name took 15 s.
import { StageScopeError } from '../../../shared/errors.ts';

/** Longer glob filters are refused (nobody types more; it bounds the work per name). */
export const MAX_GLOB_LENGTH = 256;

type Token =
  | { kind: 'char'; ch: string }
  /** `?`: one character of a name. */
  | { kind: 'one' }
  /** `*`: any run of characters within a name. */
  | { kind: 'star' }
  /** `**`: any run of characters, across folders. */
  | { kind: 'globstar' }
  /**
   * `**` + `/`: nothing, or anything ending in `/` (so `**` + `/x` also matches `x`). Two
   * positions: `folders` may be skipped; once a character is read the automaton is in
   * `inFolders`, which it leaves only by reading a `/`.
   */
  | { kind: 'folders' }
  | { kind: 'inFolders' }
  /** A leading `/` of the input that the pattern may skip. */
  | { kind: 'optionalSlash' };

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [{ kind: 'optionalSlash' }];
  const body = glob.toLowerCase().replace(/^\//, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '*') {
      let run = 1;
      while (body[i + run] === '*') run++;
      i += run - 1;
      const last = tokens[tokens.length - 1]!;
      if (run === 1) {
        // `**` then `*`, or `*` then `*` after a `?`...: a star next to a wider one adds nothing.
        if (last.kind !== 'star' && last.kind !== 'globstar') tokens.push({ kind: 'star' });
      } else if (body[i + 1] === '/') {
        i++;
        if (last.kind !== 'inFolders') tokens.push({ kind: 'folders' }, { kind: 'inFolders' });
      } else {
        if (last.kind === 'star') tokens.pop();
        if (tokens[tokens.length - 1]!.kind !== 'globstar') tokens.push({ kind: 'globstar' });
      }
    } else if (c === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'char', ch: c });
  }
  return tokens;
}

/** A case-insensitive whole-input matcher for a glob with `*`, `?`, `**` and `**` + `/`. */
export function compileGlob(typed: string): (input: string) => boolean {
  // Three stars or more mean what two do: count the length after collapsing them.
  const glob = typed.replace(/\*{3,}/g, '**');
  if (glob.length > MAX_GLOB_LENGTH) {
    throw new StageScopeError('usage', `The filter is longer than ${MAX_GLOB_LENGTH} characters.`, 'Shorten the filter.', {
      field: 'filter',
    });
  }
  const tokens = tokenize(glob);
  const end = tokens.length;
  // Positions reachable without reading a character from position i (ε-closure), by marking.
  let current = new Int32Array(end + 1);
  let next = new Int32Array(end + 1);
  const mark = new Int32Array(end + 1);
  let generation = 0;

  const add = (set: Int32Array, size: number, state: number): number => {
    while (mark[state] !== generation) {
      mark[state] = generation;
      set[size++] = state;
      if (state === end) break;
      const t = tokens[state]!;
      // Every kind but these may match nothing: fall through to the next position.
      if (t.kind === 'char' || t.kind === 'one' || t.kind === 'inFolders') break;
      state += t.kind === 'folders' ? 2 : 1;
    }
    return size;
  };

  return (raw: string) => {
    const input = raw.toLowerCase();
    generation++;
    let size = add(current, 0, 0);
    for (let p = 0; p < input.length && size > 0; p++) {
      const c = input[p]!;
      generation++;
      let nextSize = 0;
      for (let k = 0; k < size; k++) {
        const state = current[k]!;
        if (state === end) continue;
        const t = tokens[state]!;
        switch (t.kind) {
          case 'char':
            if (c === t.ch) nextSize = add(next, nextSize, state + 1);
            break;
          case 'one':
            if (c !== '/') nextSize = add(next, nextSize, state + 1);
            break;
          case 'star':
            if (c !== '/') nextSize = add(next, nextSize, state);
            break;
          case 'globstar':
            nextSize = add(next, nextSize, state);
            break;
          case 'folders':
            nextSize = add(next, nextSize, state + 1);
            if (c === '/') nextSize = add(next, nextSize, state + 2);
            break;
          case 'inFolders':
            nextSize = add(next, nextSize, state);
            if (c === '/') nextSize = add(next, nextSize, state + 1);
            break;
          case 'optionalSlash':
            if (p === 0 && c === '/') nextSize = add(next, nextSize, state + 1);
            break;
        }
      }
      [current, next] = [next, current];
      size = nextSize;
    }
    for (let k = 0; k < size; k++) if (current[k] === end) return true;
    return false;
  };
}
