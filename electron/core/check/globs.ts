// Globs in a config (forbid, require, ignore) match absolute image paths with picomatch.
// A glob without a leading `/` matches at any depth (as in .gitignore): `*.a` is `**/*.a`.
import picomatch from 'picomatch';

const OPTIONS = { dot: true, strictBrackets: true } as const;

function anchored(glob: string): string {
  return glob.startsWith('/') ? glob : `**/${glob}`;
}

/** Why a glob is not usable, or null when it is fine. */
export function globProblem(glob: string): string | null {
  if (glob.trim() === '') return 'it is empty';
  try {
    picomatch.makeRe(anchored(glob), OPTIONS);
    return null;
  } catch (err) {
    return (err as Error).message.replace(/ - use .*$/, '').replace(/\.$/, '');
  }
}

export type PathMatcher = (path: string, isDir?: boolean) => boolean;

/**
 * The test picomatch's own matcher makes (a path equal to the glob, or matching its regex),
 * without the result object it allocates per call: the rules run it on every file of an image.
 */
function compile(glob: string): (path: string) => boolean {
  const re = picomatch.makeRe(glob, OPTIONS);
  return (path) => path !== '' && (path === glob || re.test(path));
}

/**
 * A matcher for several globs. A glob ending in `/**` names what is below a folder, so the
 * folder itself (which a base image often has, empty) does not match it.
 */
export function matcher(globs: string[]): PathMatcher {
  if (globs.length === 0) return () => false;
  const compiled = globs.map((g) => {
    const glob = anchored(g);
    return { test: compile(glob), base: glob.endsWith('/**') ? compile(glob.slice(0, -3)) : null };
  });
  return (path, isDir = false) => compiled.some((c) => c.test(path) && !(isDir && c.base !== null && c.base(path)));
}
