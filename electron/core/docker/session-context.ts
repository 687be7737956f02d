// What a build session serves in place of a context tar (filesync.ts): the context folder as it
// is, and a "dockerfile" dir holding only the Dockerfile to build (the user's text, or
// StageScope's rewritten copy) and its `<name>.dockerignore`. The rewritten Dockerfile is thus
// never in the context, and the Dockerfile frontend applies the `.dockerignore` itself, as it
// does for a plain `docker build`.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { StageScopeError } from '../../../shared/errors.ts';
import { loadIgnore, unreadable } from './context.ts';
import { syncEntries, type SyncedDir } from './sync-walk.ts';
import { isRegularMode } from './fsutil-wire.ts';

interface SessionContext {
  /** "context" and "dockerfile", the names the Dockerfile frontend asks for. */
  dirs: Map<string, SyncedDir>;
  /** The Dockerfile's name in the "dockerfile" dir, for the build's `dockerfile` parameter. */
  dockerfileName: string;
  /** Same folder, same key: BuildKit then sends only what changed since the last build. */
  sharedKey: string;
  /**
   * A digest of what the build can read from the context: each path the `.dockerignore` keeps
   * with its type, mode, size, mtime and link target (not the bytes: they are not read here).
   */
  digest: string;
}

/** The `.dockerignore` lines as moby's dockerignore.ReadAll hands them to the frontend. */
function ignoreLines(text: string | null): string[] {
  if (text === null) return [];
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const bang = l.startsWith('!');
      const p = (bang ? l.slice(1).trim() : l).replace(/^\/+(?=.)/, '');
      return bang ? `!${p}` : p;
    });
}

export async function sessionContext(dir: string, opts: { dockerfile: string; dockerfileText?: string }): Promise<SessionContext> {
  const root = resolve(dir);
  const dockerfile = resolve(opts.dockerfile);
  const text =
    opts.dockerfileText ??
    (await readFile(dockerfile, 'utf8').catch((err) => {
      throw unreadable(dockerfile, err);
    }));
  const name = basename(dockerfile);
  const files = [{ name, text }];
  const own = await readFile(`${dockerfile}.dockerignore`, 'utf8').catch(() => null);
  if (own !== null) files.push({ name: `${name}.dockerignore`, text: own });
  const ignore = await loadIgnore(root, dockerfile);

  // One walk now, as the frontend will filter it: fails early, and clearly, on an unreadable
  // file (BuildKit would only say "error from sender"), and gives the digest.
  const hash = createHash('sha256')
    .update(text)
    .update('\0')
    .update(ignore.text ?? '')
    .update('\0');
  const filter = { includePatterns: [], excludePatterns: ignoreLines(ignore.text), followPaths: [] };
  try {
    for await (const { stat, source } of syncEntries({ root }, filter, () => false)) {
      if (isRegularMode(stat.mode) && typeof source === 'string') {
        await access(source, constants.R_OK).catch((err) => {
          throw unreadable(source, err);
        });
      }
      hash.update(`${stat.path}\0${stat.mode}\0${stat.size}\0${stat.modTime}\0${stat.linkname}\n`);
    }
  } catch (err) {
    const path = (err as NodeJS.ErrnoException).path;
    throw !(err instanceof StageScopeError) && path ? unreadable(path, err) : err;
  }
  return {
    dirs: new Map<string, SyncedDir>([
      ['context', { root }],
      ['dockerfile', { files }],
    ]),
    dockerfileName: name,
    sharedKey: createHash('sha256').update(`stagescope:${root}`).digest('hex'),
    digest: hash.digest('hex'),
  };
}
