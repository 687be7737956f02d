// The walk a BuildKit file transfer sends, as fsutil's Walk + FilterFS make it: depth first,
// each folder's names in byte order, a folder before what it holds, the root itself never sent.
// A path left out by the patterns is not sent, but a folder left out is still walked when a
// pattern could take something back inside it; the folder is then sent (with its own stat)
// just before the first thing it holds that is kept. Stats are produced one at a time: a
// folder of 100k files is never held in memory beyond the id -> path map the sender needs.
import type { BigIntStats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { goFileMode, type WireStat } from './fsutil-wire.ts';
import { PatternMatcher } from './pattern-match.ts';

/** A folder on disk, or a few in-memory files at the root (the uploaded Dockerfile). */
export type SyncedDir = { root: string } | { files: ReadonlyArray<{ name: string; text: string }> };

export interface SyncFilter {
  includePatterns: readonly string[];
  excludePatterns: readonly string[];
  /** Paths to send, with the symlinks among them followed (what the frontend reads alone). */
  followPaths: readonly string[];
}

export interface SyncEntry {
  stat: WireStat;
  /** Where a regular file's bytes are read: a path on disk, or the bytes themselves. */
  source: string | Buffer | null;
}

interface Node {
  name: string;
  isDir: boolean;
  entry: () => Promise<SyncEntry>;
}

/**
 * Go sorts names by their UTF-8 bytes. JS `<` compares UTF-16 units, which gives the same order
 * unless a name holds a surrogate pair: only then compare the bytes (names are mostly ASCII).
 */
const SURROGATE = /[\ud800-\udfff]/;
const byBytes = (a: string, b: string) =>
  SURROGATE.test(a) || SURROGATE.test(b) ? Buffer.compare(Buffer.from(a), Buffer.from(b)) : a < b ? -1 : a > b ? 1 : 0;

/** Lists one folder of a synced dir, sorted as Go's os.ReadDir sorts. */
type Lister = (rel: string) => Promise<Node[]>;

/** lstat calls in flight ahead of the walk: one at a time would wait on the disk for each. */
const STAT_AHEAD = 64;

function diskLister(root: string): Lister {
  // fsutil sends a second name of a hard-linked file as a link to the first one sent.
  const seen = new Map<string, string>();
  return async (relDir) => {
    const dirents = (await readdir(join(root, relDir), { withFileTypes: true })).sort((a, b) => byBytes(a.name, b.name));
    const stats: Array<Promise<BigIntStats> | undefined> = [];
    const statAt = (i: number) => (stats[i] ??= lstat(join(root, relDir, dirents[i].name), { bigint: true }));
    return dirents.map((d, index) => {
      const rel = relDir ? `${relDir}/${d.name}` : d.name;
      return {
        name: d.name,
        isDir: d.isDirectory(),
        entry: async () => {
          for (let i = index; i < Math.min(dirents.length, index + STAT_AHEAD); i++) statAt(i).catch(() => undefined);
          const abs = join(root, rel);
          const st = await statAt(index);
          const stat: WireStat = {
            path: rel,
            mode: goFileMode(Number(st.mode)),
            uid: 0,
            gid: 0,
            size: 0,
            modTime: st.mtimeNs,
            linkname: '',
          };
          // uid/gid 0: BuildKit's client resets them (the image owner comes from COPY --chown).
          if (st.isSymbolicLink()) {
            stat.linkname = await readlink(abs);
            stat.size = Number(st.size);
          } else if (st.isFile()) {
            stat.size = Number(st.size);
            const key = `${st.dev}:${st.ino}`;
            const first = st.nlink > 1n ? seen.get(key) : undefined;
            if (first !== undefined) {
              stat.linkname = first;
              stat.size = 0;
            } else seen.set(key, rel);
          } else if (st.isBlockDevice() || st.isCharacterDevice()) {
            stat.devmajor = Number(st.rdev >> 8n) & 0xfff;
            stat.devminor = Number((st.rdev & 0xffn) | ((st.rdev >> 12n) & 0xfff00n));
          }
          return { stat, source: st.isFile() ? abs : null };
        },
      };
    });
  };
}

function memoryLister(files: ReadonlyArray<{ name: string; text: string }>): Lister {
  const nodes = [...files]
    .sort((a, b) => byBytes(a.name, b.name))
    .map((f) => {
      const body = Buffer.from(f.text, 'utf8');
      const stat: WireStat = { path: f.name, mode: 0o644, uid: 0, gid: 0, size: body.length, modTime: 0n, linkname: '' };
      return { name: f.name, isDir: false, entry: async () => ({ stat, source: body }) };
    });
  return async (relDir) => (relDir ? [] : nodes);
}

/**
 * fsutil's FollowLinks: the paths themselves plus, for each symlink among them (inside the
 * folder), what it points to, so reading `Dockerfile` through a link sends its target too.
 */
async function followLinks(dir: SyncedDir, paths: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const start of paths) {
    let p = posix.normalize(start).replace(/^\/+/, '');
    for (let hops = 0; hops < 40 && p && !p.startsWith('..') && !out.has(p); hops++) {
      out.add(p);
      if (!('root' in dir)) break;
      const target = await readlink(join(dir.root, p)).catch(() => null);
      if (target === null) break;
      p = posix.normalize(target.startsWith('/') ? target.slice(1) : posix.join(posix.dirname(p), target));
    }
  }
  return [...out].sort();
}

export async function* syncEntries(dir: SyncedDir, filter: SyncFilter, cancelled: () => boolean): AsyncGenerator<SyncEntry> {
  const list = 'root' in dir ? diskLister(dir.root) : memoryLister(dir.files);
  const includes = [...filter.includePatterns];
  if (filter.followPaths.length > 0) includes.push(...(await followLinks(dir, filter.followPaths)));
  const include = includes.length > 0 ? new PatternMatcher(includes) : null;
  const exclude = filter.excludePatterns.length > 0 ? new PatternMatcher(filter.excludePatterns) : null;
  const includePrefixesOnly = include?.onlyPrefixes(false) ?? true;
  const exceptionPrefixesOnly = exclude?.onlyPrefixes(true) ?? true;
  // An explicit stack rather than nested generators: each `yield*` level costs a promise per entry.
  interface Frame {
    relDir: string;
    nodes: Node[];
    next: number;
    inc: boolean[] | null;
    exc: boolean[] | null;
    /** The folder this frame lists (null at the root); `sent` once its stat went out. */
    dir: { node: Node; sent: boolean } | null;
  }
  const stack: Frame[] = [{ relDir: '', nodes: await list(''), next: 0, inc: null, exc: null, dir: null }];
  while (stack.length > 0 && !cancelled()) {
    const frame = stack[stack.length - 1];
    if (frame.next >= frame.nodes.length) {
      stack.pop();
      continue;
    }
    const node = frame.nodes[frame.next++];
    const rel = frame.relDir ? `${frame.relDir}/${node.name}` : node.name;
    let skip = false;
    let ownInc: boolean[] | null = null;
    let ownExc: boolean[] | null = null;
    if (include) {
      const m = include.match(rel, frame.inc);
      ownInc = m.info;
      if (!m.matched) {
        if (node.isDir && includePrefixesOnly && !include.reachesInto(rel, false)) continue;
        skip = true;
      }
    }
    if (exclude) {
      const m = exclude.match(rel, frame.exc);
      ownExc = m.info;
      if (m.matched) {
        if (node.isDir && exceptionPrefixesOnly && (!exclude.exclusions || !exclude.reachesInto(rel, true))) continue;
        skip = true;
      }
    }
    if (!skip) {
      // Folders left out so far are sent now, before the first thing they hold that is kept.
      for (const f of stack) {
        if (!f.dir || f.dir.sent) continue;
        f.dir.sent = true;
        yield await f.dir.node.entry();
      }
      yield await node.entry();
    }
    if (node.isDir) stack.push({ relDir: rel, nodes: await list(rel), next: 0, inc: ownInc, exc: ownExc, dir: { node, sent: !skip } });
  }
}
