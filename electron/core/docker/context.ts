// The build context as a tar of the project folder, filtered by .dockerignore, streamed to the
// engine: for the classic builder, and for BuildKit on an engine without build sessions (with a
// session, BuildKit reads the folder itself: session-context.ts). The folder is walked first (to
// fail early and clearly on an unreadable file and to count entries), then file contents are
// streamed one at a time: the context is never buffered.
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import ignore from '@balena/dockerignore';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import type { Builder } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';

/**
 * Name of the Dockerfile in the context when it is replaced or lives outside the folder: like
 * the docker CLI's `.dockerfile.<random>`, but derived from the text, so the same inputs make
 * the same context tar (a random name would change the context, and miss the cache, each time).
 */
export function generatedDockerfileName(text: string): string {
  return `.dockerfile.${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
}
/** A fixed time for the generated files, so the same inputs make the same context tar. */
const GENERATED_MTIME = new Date(0);
const DOCKERIGNORE = '.dockerignore';

export interface BuildContextOptions {
  /** Path of the Dockerfile (absolute or relative to cwd); may be outside `dir`. */
  dockerfile: string;
  /** Replacement Dockerfile content (e.g. with `# syntax` stripped); the user's file is untouched. */
  dockerfileText?: string;
  /**
   * Which builder reads the tar. The classic builder drops the Dockerfile and `.dockerignore`
   * from what COPY sees when the uploaded `.dockerignore` names them, so a generated Dockerfile's
   * name is appended to it (as the docker CLI does). BuildKit applies no `.dockerignore` to an
   * uploaded tar (verified on Engine 26.1): there the file stays visible, see `visibleDockerfile`.
   */
  builder?: Builder;
  /**
   * Called as the tar is sent: every few hundred entries or MiB, then once with `done` when all
   * of it has been handed to the engine (a 100k-file folder takes a while: the UI shows it).
   */
  onProgress?: (p: { entries: number; bytes: number; done: boolean }) => void;
}

export interface BuildContext {
  stream: Readable;
  /** The Dockerfile's path inside the tar, for the build's `dockerfile` parameter. */
  dockerfileName: string;
  /** Entries in the tar (files, dirs, symlinks), the Dockerfile included. */
  fileCount: number;
  /**
   * A Dockerfile the tar carries that a plain `docker build` would not show to `COPY .`: the
   * generated copy, or the user's own file when `.dockerignore` excludes it, on BuildKit (which
   * cannot be told to hide it in an uploaded tar). Null when COPY sees exactly the user's context.
   */
  visibleDockerfile: string | null;
}

interface Entry {
  rel: string; // posix path inside the tar
  abs: string;
  type: 'file' | 'directory' | 'symlink';
  size: number;
  mode: number;
  mtime: Date;
  linkname?: string;
}

const toPosix = (p: string) => p.split(sep).join('/');

export function unreadable(path: string, err: unknown): StageScopeError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new StageScopeError(
    'build',
    `Cannot read ${path} for the build context (${code}).`,
    'Fix its permissions or exclude it in .dockerignore.',
    { path },
  );
}

/** `<Dockerfile>.dockerignore` next to the Dockerfile wins over the folder's .dockerignore. */
export async function loadIgnore(dir: string, dockerfile: string) {
  for (const candidate of [`${dockerfile}.dockerignore`, join(dir, DOCKERIGNORE)]) {
    try {
      const text = await readFile(candidate, 'utf8');
      const patterns = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
      return {
        text,
        fromFolder: candidate === join(dir, DOCKERIGNORE),
        matcher: ignore().add(patterns),
        hasExceptions: patterns.some((p) => p.startsWith('!')),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(candidate, err);
    }
  }
  return { text: null, fromFolder: false, matcher: ignore().add([]), hasExceptions: false };
}

/**
 * The `.dockerignore` uploaded with a generated Dockerfile: the user's rules untouched, plus the
 * generated name; with no file of the user's, one that also excludes itself (docker CLI's
 * AddDockerfileToBuildContext does the same).
 */
export function uploadedDockerignore(userText: string | null, generatedName: string): string {
  const base = userText ?? DOCKERIGNORE;
  return `${base}${base.endsWith('\n') ? '' : '\n'}${generatedName}\n`;
}

async function walk(dir: string, keep: (rel: string, isDir: boolean) => 'keep' | 'skip' | 'descend-only'): Promise<Entry[]> {
  const out: Entry[] = [];
  async function visit(absDir: string): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(absDir)).sort();
    } catch (err) {
      throw unreadable(absDir, err);
    }
    for (const name of names) {
      const abs = join(absDir, name);
      const rel = toPosix(relative(dir, abs));
      const st = await lstat(abs).catch((err) => {
        throw unreadable(abs, err);
      });
      const isDir = st.isDirectory();
      const verdict = keep(rel, isDir);
      if (verdict === 'skip') continue;
      const base = { rel, abs, mode: st.mode & 0o7777, mtime: st.mtime, size: 0 };
      if (st.isSymbolicLink()) {
        // Stored as a link, never followed: a loop cannot hang the walk.
        if (verdict === 'keep') out.push({ ...base, type: 'symlink', linkname: await readlink(abs) });
      } else if (isDir) {
        if (verdict === 'keep') out.push({ ...base, type: 'directory' });
        await visit(abs);
      } else if (st.isFile()) {
        if (verdict !== 'keep') continue;
        await access(abs, constants.R_OK).catch((err) => {
          throw unreadable(abs, err);
        });
        out.push({ ...base, type: 'file', size: st.size });
      }
      // Sockets, fifos and devices cannot be sent to the engine; docker skips them too.
    }
  }
  await visit(dir);
  return out;
}

function header(e: Entry): Partial<Header> & { name: string } {
  // Owner 0:0 as the docker CLI sends it; the image owner comes from COPY --chown, not the host.
  return {
    name: e.type === 'directory' ? `${e.rel}/` : e.rel,
    type: e.type,
    size: e.size,
    mode: e.mode,
    mtime: e.mtime,
    uid: 0,
    gid: 0,
    ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
  };
}

const SMALL_FILE = 64 * 1024;

function writeEntry(pack: Pack, e: Entry): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    if (e.type !== 'file') {
      pack.entry(header(e), (err) => (err ? reject(err) : resolvePromise()));
      return;
    }
    if (e.size === 0) {
      // Nothing to read (a folder can hold thousands of empty marker files).
      pack.entry(header(e), Buffer.alloc(0), (err) => (err ? reject(err) : resolvePromise()));
      return;
    }
    if (e.size <= SMALL_FILE) {
      // One read instead of a stream per file: a folder of 100k small files goes several times faster.
      readFile(e.abs).then(
        (body) => pack.entry({ ...header(e), size: body.length }, body, (err) => (err ? reject(err) : resolvePromise())),
        (err) => reject(unreadable(e.abs, err)),
      );
      return;
    }
    const sink = pack.entry(header(e), (err) => (err ? reject(err) : resolvePromise()));
    const source = createReadStream(e.abs);
    source.on('error', (err) => reject(unreadable(e.abs, err)));
    sink.on('close', () => source.destroy()); // the pack was destroyed (build cancelled): free the fd
    source.pipe(sink);
  });
}

export async function createBuildContext(dir: string, opts: BuildContextOptions): Promise<BuildContext> {
  const root = resolve(dir);
  const dockerfile = resolve(opts.dockerfile);
  const relDockerfile = toPosix(relative(root, dockerfile));
  const inside = !relDockerfile.startsWith('../') && relDockerfile !== '..' && !relDockerfile.startsWith('/');
  const generated = opts.dockerfileText !== undefined || !inside;

  let dockerfileText = opts.dockerfileText;
  if (dockerfileText === undefined && !inside) {
    dockerfileText = await readFile(dockerfile, 'utf8').catch((err) => {
      throw unreadable(dockerfile, err);
    });
  }
  const dockerfileName = dockerfileText !== undefined ? generatedDockerfileName(dockerfileText) : relDockerfile;

  const ignoreRules = await loadIgnore(root, dockerfile);
  const { matcher, hasExceptions } = ignoreRules;
  const classic = opts.builder === 'classic';
  // Classic builder + generated Dockerfile: our `.dockerignore` replaces the folder's in the tar.
  const extraIgnore = dockerfileText !== undefined && classic ? uploadedDockerignore(ignoreRules.text, dockerfileName) : null;
  const entries = await walk(root, (rel, isDir) => {
    if (generated && rel === dockerfileName) return 'skip';
    if (rel === DOCKERIGNORE && extraIgnore !== null) return 'skip';
    // The classic daemon removes the Dockerfile and `.dockerignore` itself when the uploaded
    // `.dockerignore` names them, so it must travel even when it excludes itself (as the CLI does).
    if (rel === DOCKERIGNORE && classic && ignoreRules.fromFolder) return 'keep';
    if (rel === relDockerfile && !generated) return 'keep'; // always sent, even if ignored
    if (!matcher.ignores(rel)) return 'keep';
    // An excluded folder may still hold a re-included (`!`) path: look inside without sending it.
    return isDir && hasExceptions ? 'descend-only' : 'skip';
  });

  const pack = tarPack();
  void (async () => {
    try {
      let sent = 0;
      let bytes = 0;
      let reportedBytes = 0;
      for (const e of entries) {
        await writeEntry(pack, e);
        sent++;
        bytes += e.size;
        if (opts.onProgress && (sent % 500 === 0 || bytes - reportedBytes >= 4 * 1024 * 1024)) {
          reportedBytes = bytes;
          opts.onProgress({ entries: sent, bytes, done: false });
        }
      }
      const addGenerated = (name: string, text: string) =>
        new Promise<void>((res, rej) =>
          pack.entry({ name, mode: 0o644, uid: 0, gid: 0, mtime: GENERATED_MTIME }, Buffer.from(text, 'utf8'), (err) =>
            err ? rej(err) : res(),
          ),
        );
      if (dockerfileText !== undefined) await addGenerated(dockerfileName, dockerfileText);
      if (extraIgnore !== null) await addGenerated(DOCKERIGNORE, extraIgnore);
      pack.finalize();
      opts.onProgress?.({ entries: sent, bytes, done: true });
    } catch (err) {
      pack.destroy(err as Error);
    }
  })();

  // tar-stream packs are streamx streams; hand out a plain Node byte stream (backpressure kept).
  const ownExcluded = !generated && matcher.ignores(relDockerfile);
  const visibleDockerfile = classic ? null : generated ? dockerfileName : ownExcluded ? relDockerfile : null;
  const fileCount = entries.length + (dockerfileText !== undefined ? 1 : 0) + (extraIgnore !== null ? 1 : 0);
  return { stream: Readable.from(pack, { objectMode: false }), dockerfileName, fileCount, visibleDockerfile };
}
