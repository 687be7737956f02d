// The flattened, visible rows of a file tree that the UI shows, one slice at a time: trees of
// 100k+ nodes never cross to the renderer whole. The walk keeps node ids and depths in plain
// arrays and builds TreeRow objects only for the requested slice.
import type { ChangeKind, FileMeta, RowMatches, TreeRow } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { compileGlob } from './glob.ts';
import type { LayerIndex } from './types.ts';
import { FileTree } from './tree.ts';
import { buildTree, type LayerChanges } from './apply-layer.ts';
import { compareNames, isDir } from './file-meta.ts';
import { joinPath, parentPath } from '../../../shared/paths.ts';

export interface RowOptions {
  /** Directory paths the user opened, or 'all'. */
  expanded: Set<string> | 'all';
  /** Case-insensitive substring of the path, or a glob with * ? ** (see compileFilter). */
  filter?: string;
  sort?: 'name' | 'size';
  changes?: Map<string, ChangeKind>;
  /** Keep only changed entries (and their ancestors). */
  onlyChanged?: boolean;
  offset?: number;
  limit?: number;
}

export interface RowSlice {
  rows: TreeRow[];
  /** Visible rows in all, for the scroll height. */
  total: number;
  /** With a filter or onlyChanged: how many entries match and the bytes they hold. */
  matches?: RowMatches;
}

/**
 * A filter as the search box takes it, case-insensitive. A filter without `/` looks at names
 * (so `lib` does not match everything below /usr/lib), one with `/` at full paths. Without
 * glob characters it is a substring; with them `*` and `?` stay within one name and `**`
 * crosses directories; a relative path pattern matches at any depth (`bin/x*` finds /usr/bin/xz).
 */
export function compileFilter(filter: string): (path: string, name: string) => boolean {
  const onPath = filter.includes('/');
  if (!/[*?]/.test(filter)) {
    const needle = filter.toLowerCase();
    return onPath ? (path) => path.toLowerCase().includes(needle) : (_path, name) => name.toLowerCase().includes(needle);
  }
  const pattern = onPath && !filter.startsWith('/') ? `**/${filter}` : filter;
  const matches = compileGlob(pattern);
  return onPath ? (path) => matches(path) : (_path, name) => matches(name);
}

/** Time one filtering may take before it is refused (a glob costs name length × its length). */
const FILTER_BUDGET_MS = 2000;

function filterTooSlow(): StageScopeError {
  return new StageScopeError('usage', 'The filter took too long on this tree.', 'Use a shorter filter or fewer wildcards.', {
    field: 'filter',
  });
}

/** Nodes that pass the filter and change test, or null when nothing restricts the view. */
function findHits(tree: FileTree, opts: RowOptions): Set<number> | null {
  const changedOnly = opts.onlyChanged && opts.changes;
  if (!opts.filter && !changedOnly) return null;
  const match = opts.filter ? compileFilter(opts.filter) : () => true;
  const hits = new Set<number>();
  if (changedOnly) {
    // Few changes in a large tree: look them up instead of scanning everything.
    for (const [path, kind] of opts.changes!) {
      if (kind === 'unchanged') continue;
      const n = tree.lookup(path);
      if (n > 0 && match(path, tree.nameOf(n))) hits.add(n);
    }
    return hits;
  }
  // The host answers every page from one event loop: a filter that needs more than its
  // budget on a huge tree is refused instead of holding everyone else's requests.
  const deadline = performance.now() + FILTER_BUDGET_MS;
  let visited = 0;
  const stack: [number, string][] = [[FileTree.ROOT, '/']];
  while (stack.length > 0) {
    const [n, path] = stack.pop()!;
    for (const c of tree.childIds(n)) {
      if ((++visited & 1023) === 0 && performance.now() > deadline) throw filterTooSlow();
      const p = joinPath(path, tree.nameOf(c));
      if (match(p, tree.nameOf(c))) hits.add(c);
      if (tree.childCount(c) > 0) stack.push([c, p]);
    }
  }
  return hits;
}

function rowSize(tree: FileTree, n: number): number {
  const m = tree.metaOf(n);
  return isDir(m) ? tree.bytesOf(n) : m.size;
}

interface Flat {
  nodes: number[];
  depths: number[];
  paths: string[];
  /** Folders above matches: the bytes of the matches below them, not of everything below. */
  partial: Map<number, number>;
  matches?: RowMatches;
}

/**
 * What a restricted view holds: a folder above matches shows the bytes of what matches below it
 * (as the total "N matches · X MB" does), not its whole size. A match that is a folder counts
 * whole, once (what lies below it shows too); with onlyChanged every changed non-folder counts.
 */
function matchedBytes(tree: FileTree, hits: Set<number>, onlyChanged: boolean): { partial: Map<number, number>; matches: RowMatches } {
  const partial = new Map<number, number>();
  let bytes = 0;
  for (const h of hits) {
    if (tree.isGhost(h)) continue;
    if (onlyChanged ? isDir(tree.metaOf(h)) : hasHitAbove(tree, hits, h)) continue;
    const b = rowSize(tree, h);
    bytes += b;
    for (let p = tree.parentOf(h); p > 0; p = tree.parentOf(p)) partial.set(p, (partial.get(p) ?? 0) + b);
  }
  return { partial, matches: { count: hits.size, bytes } };
}

function hasHitAbove(tree: FileTree, hits: Set<number>, n: number): boolean {
  for (let p = tree.parentOf(n); p > 0; p = tree.parentOf(p)) if (hits.has(p)) return true;
  return false;
}

// Scrolling asks for slice after slice with the same options: keep the last flattening per
// tree (one per tree bounds the memory) and reuse it while tree and options are unchanged.
const lastFlat = new WeakMap<FileTree, { key: string; flat: Flat }>();
const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
function identity(o: object | undefined): number {
  if (!o) return 0;
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
}
/** A changes Map is compared by identity: pass a new Map when the changes change. */
function flatKey(tree: FileTree, opts: RowOptions): string {
  const expanded = opts.expanded === 'all' ? '*' : [...opts.expanded].sort().join('\0');
  return [tree.version, expanded, opts.filter ?? '', opts.sort ?? 'name', opts.onlyChanged ? 1 : 0, identity(opts.changes)].join('\u0001');
}

export function treeRows(tree: FileTree, opts: RowOptions): RowSlice {
  const key = flatKey(tree, opts);
  let cached = lastFlat.get(tree);
  if (!cached || cached.key !== key) {
    cached = { key, flat: flatten(tree, opts) };
    lastFlat.set(tree, cached);
  }
  const { nodes, depths, paths, partial, matches } = cached.flat;
  const start = Math.max(0, opts.offset ?? 0);
  const end = opts.limit === undefined ? nodes.length : Math.min(nodes.length, start + opts.limit);
  const rows: TreeRow[] = [];
  for (let i = start; i < end; i++) rows.push(toRow(tree, nodes[i], depths[i], paths[i], partial, opts.changes));
  return matches ? { rows, total: nodes.length, matches } : { rows, total: nodes.length };
}

/** Every visible node in display order. */
function flatten(tree: FileTree, opts: RowOptions): Flat {
  const hits = findHits(tree, opts);
  const aboveHits = new Set<number>();
  if (hits) {
    for (const h of hits) {
      for (let p = tree.parentOf(h); p > 0 && !aboveHits.has(p); p = tree.parentOf(p)) aboveHits.add(p);
    }
  }
  // Below a filter match everything shows (a matching folder can be opened); below a changed
  // folder only what changed itself.
  const showBelowHits = !opts.onlyChanged;
  const sorted = (n: number) => {
    const ids = tree.childIds(n);
    if (opts.sort === 'size') {
      return ids.sort((a, b) => rowSize(tree, b) - rowSize(tree, a) || compareNames(tree.nameOf(a), tree.nameOf(b)));
    }
    return ids.sort((a, b) => compareNames(tree.nameOf(a), tree.nameOf(b)));
  };

  const nodes: number[] = [];
  const depths: number[] = [];
  const paths: string[] = [];
  // Depth-first with an explicit stack: deep trees must not overflow the call stack.
  const stack: { node: number; depth: number; path: string; insideHit: boolean }[] = [];
  const pushChildren = (n: number, depth: number, path: string, insideHit: boolean) => {
    const kids = sorted(n);
    for (let i = kids.length - 1; i >= 0; i--) {
      const c = kids[i];
      if (hits && !hits.has(c) && !aboveHits.has(c) && !(insideHit && showBelowHits)) continue;
      stack.push({ node: c, depth, path: joinPath(path, tree.nameOf(c)), insideHit });
    }
  };
  pushChildren(FileTree.ROOT, 0, '/', false);
  while (stack.length > 0) {
    const { node, depth, path, insideHit } = stack.pop()!;
    nodes.push(node);
    depths.push(depth);
    paths.push(path);
    if (!isDir(tree.metaOf(node))) continue;
    const open = opts.expanded === 'all' || opts.expanded.has(path) || aboveHits.has(node);
    if (open) pushChildren(node, depth + 1, path, insideHit || (hits?.has(node) ?? false));
  }

  const restricted = hits ? matchedBytes(tree, hits, Boolean(opts.onlyChanged)) : { partial: new Map<number, number>() };
  return { nodes, depths, paths, ...restricted };
}

function toRow(
  tree: FileTree,
  n: number,
  depth: number,
  path: string,
  partial: Map<number, number>,
  changes?: Map<string, ChangeKind>,
): TreeRow {
  const m = tree.metaOf(n);
  return {
    path,
    name: tree.nameOf(n),
    depth,
    type: m.type,
    size: partial.get(n) ?? rowSize(tree, n),
    change: changes?.get(path) ?? 'unchanged',
    childCount: tree.childCount(n),
    mode: m.mode,
    uid: m.uid,
    gid: m.gid,
    linkTarget: m.linkTarget,
  };
}

// ------------------------------------------------------------ one layer's own entries

export interface LayerView {
  /** The layer's entries, plus what it removed as ghost nodes (shown, not counted in sizes). */
  tree: FileTree;
  changes: Map<string, ChangeKind>;
}

/** Builds the per-layer view once; callers cache it and page through it with treeRows. */
export function buildLayerView(layer: LayerIndex, changes: LayerChanges): LayerView {
  const tree = new FileTree();
  for (const e of layer.entries) tree.put(e);
  putGhosts(tree, changes.removedEntries);
  return { tree, changes: changeKinds(changes) };
}

/**
 * The image as of layer `n` (layers 0..n merged), marked with what layer n changed and with
 * what it removed as ghosts: dive's "layer contents up to here". Callers cache it.
 */
export function buildUptoView(layers: LayerIndex[], changes: LayerChanges[], n: number): LayerView {
  const { tree } = buildTree(layers.slice(0, n + 1));
  putGhosts(tree, changes[n].removedEntries);
  return { tree, changes: changeKinds(changes[n]) };
}

/**
 * Adds removed entries as ghost rows. One whose nearest present ancestor is not a directory
 * (a folder replaced by a file) is left out: putting it would turn that file back into a folder.
 */
function putGhosts(tree: FileTree, removed: FileMeta[]): void {
  for (const m of removed) {
    if (tree.lookup(m.path) >= 0) continue;
    let up = parentPath(m.path);
    while (tree.lookup(up) < 0) up = parentPath(up);
    if (isDir(tree.metaOf(tree.lookup(up)))) tree.put(m, { ghost: true });
  }
}

/** A layer's changes as the `changes` option of treeRows (e.g. over the tree up to that layer). */
export function changeKinds(changes: LayerChanges): Map<string, ChangeKind> {
  const kinds = new Map<string, ChangeKind>();
  for (const p of changes.added) kinds.set(p, 'added');
  for (const p of changes.modified) kinds.set(p, 'modified');
  for (const p of changes.removed) kinds.set(p, 'removed');
  return kinds;
}
