// The merged file tree of an image (apply-layer.ts builds it from the image's layers).
//
// Compact on purpose (dive keeps 2N full trees and runs out of memory on large images): nodes live in
// parallel arrays indexed by node id, each node points at the FileMeta the layer index already
// holds (no copy), paths are not stored (they are rebuilt from parent links when asked), and
// only directories own a children map. Sizes and counts are kept up to date incrementally, so
// reading them is O(1).
// Parents, sizes and flags sit in typed arrays sized up front (buildTree passes the number of
// entries it will put), so a 500k-entry tree neither boxes them nor leaves the copies of a
// growing array behind as garbage at the peak of an analysis.
// Further steps if memory matters more: names interned in a pool shared by all trees, children
// as sorted id ranges instead of Maps once a tree is frozen.
import type { FileMeta } from '../../../shared/model.ts';
import { compareNames, contentBytes, dirMeta, isDir, isRootPath } from './file-meta.ts';

const ROOT = 0;
const DEAD = -2;

export interface PutOptions {
  /** Shown in rows but left out of sizes and counts. */
  ghost?: boolean;
  /** Called before a missing parent is created (before = null) or a non-directory replaced. */
  onParent?: (path: string, before: FileMeta | null) => void;
}

export class FileTree {
  private parent: Int32Array;
  private name: string[] = [''];
  private meta: FileMeta[] = [dirMeta('/')];
  private kids: (Map<string, number> | undefined)[] = [new Map()];
  /** Content bytes of the node and everything below it. */
  private bytes: Float64Array;
  /** 1: shown but not counted in sizes and counts (the removed rows of a layer view). */
  private ghost: Uint8Array;
  /** The change set (beginChangeSet) that last marked the node; attach marks it with the current one. */
  private stamp: Uint32Array;
  private changeSet = 0;
  /** Node ids in use or freed: the next new id. */
  private used = 1;
  private free: number[] = [];
  private cachedDir = '/';
  private cachedDirNode = ROOT;
  private files = 0;
  private entries = 0;
  private changeCount = 0;

  static readonly ROOT = ROOT;

  /** @param capacity how many nodes to make room for at once (more are made room for as needed). */
  constructor(capacity = 64) {
    const n = Math.max(2, capacity + 1);
    this.parent = new Int32Array(n);
    this.parent[ROOT] = -1;
    this.bytes = new Float64Array(n);
    this.ghost = new Uint8Array(n);
    this.stamp = new Uint32Array(n);
  }

  /** Non-directory entries (files, symlinks, hardlinks, devices, fifos). */
  get fileCount(): number {
    return this.files;
  }
  /** Every entry but the root, directories included. */
  get entryCount(): number {
    return this.entries;
  }
  /** Bumped by every change: lets callers cache things derived from the tree. */
  get version(): number {
    return this.changeCount;
  }
  /** Regular-file content bytes of the whole tree. */
  get totalBytes(): number {
    return this.bytes[ROOT];
  }

  /** A copy with room for `extra` more nodes. */
  clone(extra = 0): FileTree {
    const t = new FileTree(0);
    const room = this.used + extra;
    t.parent = grown(this.parent, room);
    t.name = this.name.slice();
    t.meta = this.meta.slice();
    t.kids = this.kids.map((k) => (k ? new Map(k) : undefined));
    t.bytes = grown(this.bytes, room);
    t.ghost = grown(this.ghost, room);
    t.stamp = grown(this.stamp, room);
    t.changeSet = this.changeSet;
    t.used = this.used;
    t.free = this.free.slice();
    t.files = this.files;
    t.entries = this.entries;
    t.changeCount = this.changeCount;
    return t;
  }

  // ------------------------------------------------------------ reading by node id

  /** Node id at a path, or -1. Paths are absolute and normalized, as the archive reader gives them. */
  lookup(path: string): number {
    if (path.length <= 1 || path.endsWith('/')) return this.walkFromRoot(path);
    const slash = path.lastIndexOf('/');
    const dir = slash <= 0 ? ROOT : this.lookupDir(path.slice(0, slash));
    if (dir < 0) return -1;
    return this.kids[dir]?.get(path.slice(slash + 1)) ?? -1;
  }
  /**
   * Layer entries arrive grouped by directory, so the last directory looked up is cached:
   * most lookups then cost one Map get instead of a walk from the root.
   */
  private lookupDir(dir: string): number {
    if (dir === this.cachedDir) return this.cachedDirNode;
    const n = this.walkFromRoot(dir);
    if (n >= 0 && this.kids[n]) {
      this.cachedDir = dir;
      this.cachedDirNode = n;
    }
    return n;
  }
  private forgetCachedDir(): void {
    this.cachedDir = '/';
    this.cachedDirNode = ROOT;
  }
  private walkFromRoot(path: string): number {
    let node = ROOT;
    for (let i = 0; i < path.length;) {
      let j = path.indexOf('/', i);
      if (j < 0) j = path.length;
      if (j > i && !(j === i + 1 && path[i] === '.')) {
        const next = this.kids[node]?.get(path.slice(i, j));
        if (next === undefined) return -1;
        node = next;
      }
      i = j + 1;
    }
    return node;
  }
  child(node: number, name: string): number {
    return this.kids[node]?.get(name) ?? -1;
  }
  childIds(node: number): number[] {
    const k = this.kids[node];
    return k ? [...k.values()] : [];
  }
  childCount(node: number): number {
    return this.kids[node]?.size ?? 0;
  }
  metaOf(node: number): FileMeta {
    return this.meta[node];
  }
  nameOf(node: number): string {
    return this.name[node];
  }
  parentOf(node: number): number {
    return this.parent[node];
  }
  bytesOf(node: number): number {
    return this.bytes[node];
  }
  isGhost(node: number): boolean {
    return this.ghost[node] === 1;
  }

  /** Starts a new change set: nodes attached from now on are marked with it (see stampOf). */
  beginChangeSet(): number {
    return ++this.changeSet;
  }
  /** The change set that last marked the node: the one it was attached in, or a later mark(). */
  stampOf(node: number): number {
    return this.stamp[node];
  }
  mark(node: number, changeSet: number): void {
    this.stamp[node] = changeSet;
  }
  pathOf(node: number): string {
    if (node === ROOT) return '/';
    const parts: string[] = [];
    for (let n = node; n !== ROOT; n = this.parent[n]) parts.push(this.name[n]);
    return '/' + parts.reverse().join('/');
  }

  // ------------------------------------------------------------ reading by path

  get(path: string): FileMeta | null {
    const n = this.lookup(path);
    return n < 0 ? null : this.meta[n];
  }
  /** Content bytes at a path: a file's size, a directory's sum below; 0 when absent. */
  sizeOf(path: string): number {
    const n = this.lookup(path);
    return n < 0 ? 0 : this.bytes[n];
  }
  /** Children of a directory, sorted by name. */
  children(path: string): FileMeta[] {
    const n = this.lookup(path);
    if (n < 0) return [];
    return this.sortedChildren(n).map((c) => this.meta[c]);
  }
  sortedChildren(node: number): number[] {
    return this.childIds(node).sort((a, b) => compareNames(this.name[a], this.name[b]));
  }
  /** Every entry but the root, depth-first, children sorted by name. */
  *walk(from = ROOT): Generator<FileMeta> {
    const stack = this.sortedChildren(from).reverse();
    while (stack.length > 0) {
      const n = stack.pop()!;
      yield this.meta[n];
      const kids = this.sortedChildren(n);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  }

  // ------------------------------------------------------------ writing

  /** Sets the entry at meta.path, creating missing parents; replaces a subtree on dir<->non-dir. */
  put(meta: FileMeta, opts: PutOptions = {}): number {
    const path = meta.path;
    if (isRootPath(path)) {
      this.changeCount++;
      this.meta[ROOT] = meta;
      return ROOT;
    }
    const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
    const slash = trimmed.lastIndexOf('/');
    const dirPath = slash <= 0 ? '/' : trimmed.slice(0, slash);
    let dir = this.lookupDir(dirPath);
    if (dir < 0 || !this.kids[dir]) dir = this.makeDirs(dirPath, opts);
    const name = trimmed.slice(slash + 1);
    const existing = this.child(dir, name);
    if (existing < 0) return this.attach(dir, name, meta, opts.ghost ?? false);
    this.setMeta(existing, meta);
    return existing;
  }

  /** Replaces a node's metadata; a directory that stops being one loses its children. */
  setMeta(node: number, meta: FileMeta): FileMeta[] {
    this.changeCount++;
    const old = this.meta[node];
    const dropped: FileMeta[] = [];
    if (isDir(old) && !isDir(meta)) {
      for (const c of this.childIds(node)) for (const m of this.detach(c)) dropped.push(m);
      this.kids[node] = undefined;
      this.forgetCachedDir();
    } else if (!isDir(old) && isDir(meta)) {
      this.kids[node] = new Map();
    }
    if (!this.ghost[node]) {
      this.files += (isDir(meta) ? 0 : 1) - (isDir(old) ? 0 : 1);
      this.addBytes(node, contentBytes(meta) - contentBytes(old));
    }
    this.meta[node] = meta;
    return dropped;
  }

  /**
   * Removes a node and its subtree; returns their metadata (subtree root first). `visit` sees
   * each removed node while its id and stamp are still its own.
   */
  detach(node: number, visit?: (node: number, meta: FileMeta) => void): FileMeta[] {
    if (node === ROOT) throw new Error('the root cannot be removed');
    this.changeCount++;
    this.forgetCachedDir(); // the cached directory may be inside the subtree and its id reused
    const removed: FileMeta[] = [];
    const p = this.parent[node];
    this.addBytes(p, -this.bytes[node]);
    this.kids[p]!.delete(this.name[node]);
    const stack = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      removed.push(this.meta[n]);
      visit?.(n, this.meta[n]);
      if (!this.ghost[n]) {
        this.entries--;
        if (!isDir(this.meta[n])) this.files--;
      }
      const k = this.kids[n];
      if (k) for (const c of k.values()) stack.push(c);
      this.parent[n] = DEAD;
      this.kids[n] = undefined;
      this.free.push(n);
    }
    return removed;
  }

  /** Creates the missing directories of a path (the slow path of put). */
  private makeDirs(dirPath: string, opts: PutOptions): number {
    let node = ROOT;
    for (let i = 1; i < dirPath.length;) {
      let j = dirPath.indexOf('/', i);
      if (j < 0) j = dirPath.length;
      const name = dirPath.slice(i, j);
      i = j + 1;
      if (name === '' || name === '.') continue;
      const path = dirPath.slice(0, j);
      const existing = this.child(node, name);
      if (existing < 0) {
        opts.onParent?.(path, null);
        node = this.attach(node, name, dirMeta(path), opts.ghost ?? false);
      } else {
        // A non-directory in the way of a deeper entry is replaced by a directory (as overlayfs would).
        if (!isDir(this.meta[existing])) {
          opts.onParent?.(path, this.meta[existing]);
          this.setMeta(existing, dirMeta(path));
        }
        node = existing;
      }
    }
    return node;
  }

  private attach(parentNode: number, name: string, meta: FileMeta, ghost: boolean): number {
    this.changeCount++;
    let id = this.free.pop();
    if (id === undefined) {
      id = this.used++;
      if (id >= this.parent.length) this.makeRoom(id + 1);
    }
    this.parent[id] = parentNode;
    this.name[id] = name;
    this.meta[id] = meta;
    this.kids[id] = isDir(meta) ? new Map() : undefined;
    this.bytes[id] = 0;
    this.ghost[id] = ghost ? 1 : 0;
    this.stamp[id] = this.changeSet;
    this.kids[parentNode]!.set(name, id);
    if (!ghost) {
      this.entries++;
      if (!isDir(meta)) this.files++;
      this.addBytes(id, contentBytes(meta));
    }
    return id;
  }

  private addBytes(node: number, delta: number): void {
    if (delta === 0) return;
    for (let n = node; n >= 0; n = this.parent[n]) this.bytes[n] += delta;
  }

  private makeRoom(nodes: number): void {
    const room = Math.max(nodes, Math.ceil(this.parent.length * 1.5));
    this.parent = grown(this.parent, room);
    this.bytes = grown(this.bytes, room);
    this.ghost = grown(this.ghost, room);
    this.stamp = grown(this.stamp, room);
  }
}

/** A copy of `a` with room for at least `room` elements. */
function grown<T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(a: T, room: number): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(room, a.length));
  b.set(a);
  return b;
}
