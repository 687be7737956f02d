// COPY --from attribution: which files a COPY put in the destination image, where each came
// from in the source image, and whether it arrived byte-identical.
//
// The layer a COPY made holds exactly what it copied, so the layer's entries are the truth;
// the COPY's arguments are resolved against the source tree (Docker's rules: a directory's
// contents go into dest, globs per path component, a trailing slash or several sources make
// dest a directory) only to pair each entry with its source path. An entry that cannot be
// paired by path is looked up by content hash in the source (renames, odd forms).
import type { CopiedFile, FileMeta } from '../../../shared/model.ts';
import type { LayerIndex } from './types.ts';
import { FileTree } from './tree.ts';
import { isDir, splitPath } from './file-meta.ts';
import { baseName, joinPath, parentPath } from '../../../shared/paths.ts';

export interface AttributeCopyOptions {
  /** The destination stage's tree (after the COPY): tells whether dest is a directory. */
  destTree: FileTree;
  /** The layer the COPY made in the destination image. */
  destLayer: LayerIndex;
  sourceTree: FileTree;
  /** Source arguments as written in the COPY (files, directories, globs), relative to `/`. */
  srcPaths: string[];
  /** Destination as written: a directory with a trailing slash, or a file path. */
  dest: string;
  /** The destination stage's WORKDIR when the COPY ran (relative dests resolve against it). */
  workdir: string;
}

const GLOB_CHARS = /[*?[]/;
const MAX_LINK_HOPS = 16;

/** Go's filepath.Match for one path component: * ? [class] and backslash escapes. */
function componentRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i];
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^\^/, '!');
        re += '[' + (body.startsWith('!') ? '^' + body.slice(1) : body).replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Normalizes a path written in a Dockerfile against a base directory. */
export function resolvePath(path: string, base: string): string {
  const parts: string[] = path.startsWith('/') ? [] : splitPath(base);
  for (const p of splitPath(path)) {
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

/** Follows a symlink inside a tree (the COPY source itself is followed, its contents are not). */
function follow(tree: FileTree, node: number, path: string): { node: number; path: string } {
  for (let hops = 0; hops < MAX_LINK_HOPS; hops++) {
    const m = tree.metaOf(node);
    if (m.type !== 'symlink' || !m.linkTarget) break;
    const target = resolvePath(m.linkTarget, parentPath(path));
    const next = tree.lookup(target);
    if (next < 0) break;
    node = next;
    path = target;
  }
  return { node, path };
}

/** Expands one COPY source into the matching nodes of the source tree. */
export function expandSource(tree: FileTree, src: string): { node: number; path: string }[] {
  const parts = splitPath(resolvePath(src, '/'));
  let frontier = [{ node: FileTree.ROOT, path: '/' }];
  for (const part of parts) {
    const next: typeof frontier = [];
    const re = GLOB_CHARS.test(part) ? componentRegExp(part) : null;
    for (const { node, path } of frontier) {
      if (re) {
        for (const c of tree.childIds(node)) if (re.test(tree.nameOf(c))) next.push({ node: c, path: joinPath(path, tree.nameOf(c)) });
      } else {
        const c = tree.child(node, part);
        if (c >= 0) next.push({ node: c, path: joinPath(path, part) });
      }
    }
    frontier = next.sort((a, b) => (a.path < b.path ? -1 : 1));
  }
  return frontier;
}

function sameContent(src: FileMeta, dst: FileMeta): boolean {
  if (src.type === 'symlink' || dst.type === 'symlink') return src.type === dst.type && src.linkTarget === dst.linkTarget;
  return src.hash !== null && src.hash === dst.hash && src.size === dst.size;
}

/** Where each destination path should come from, per Docker's COPY rules. */
function plannedSources(opts: AttributeCopyOptions): Map<string, FileMeta> {
  const destAbs = resolvePath(opts.dest, opts.workdir);
  const matches = opts.srcPaths.flatMap((s) => expandSource(opts.sourceTree, s));
  const destIsDir = opts.dest.endsWith('/') || opts.dest === '.' || matches.length > 1 || opts.destTree.get(destAbs)?.type === 'dir';
  const plan = new Map<string, FileMeta>();
  for (const match of matches) {
    const { node, path } = follow(opts.sourceTree, match.node, match.path);
    if (!isDir(opts.sourceTree.metaOf(node))) {
      const name = baseName(match.path);
      plan.set(destIsDir ? joinPath(destAbs, name) : destAbs, opts.sourceTree.metaOf(node));
      continue;
    }
    const prefix = path === '/' ? 1 : path.length + 1;
    for (const m of opts.sourceTree.walk(node)) plan.set(joinPath(destAbs, m.path.slice(prefix)), m);
  }
  return plan;
}

export function attributeCopy(opts: AttributeCopyOptions): CopiedFile[] {
  const plan = plannedSources(opts);
  let byHash: Map<string, string> | null = null;
  const findByHash = (hash: string | null): string | null => {
    if (!hash) return null;
    if (!byHash) {
      byHash = new Map();
      for (const m of opts.sourceTree.walk()) if (m.hash && !byHash.has(m.hash)) byHash.set(m.hash, m.path);
    }
    return byHash.get(hash) ?? null;
  };

  const files: CopiedFile[] = [];
  for (const entry of opts.destLayer.entries) {
    if (isDir(entry)) continue;
    const size = entry.type === 'symlink' ? 0 : entry.size;
    const src = plan.get(entry.path);
    if (src && !isDir(src)) {
      files.push({ path: entry.path, sourcePath: src.path, sourceResolved: true, size, identical: sameContent(src, entry) });
      continue;
    }
    const found = findByHash(entry.hash);
    // A guess, said as one: the row reads "source path not resolved: matched by content".
    files.push({ path: entry.path, sourcePath: found, sourceResolved: false, size, identical: found !== null });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
