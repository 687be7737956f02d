// The changes between two stages as a tree held in memory (a DiffResult is complete, unlike a
// stage's file tree): folders carry the sum of the byte deltas below them, and only what changed
// appears. It serves the same FileTree component as the engine-backed TreeModel.
import type { ChangeKind, DiffResult, EntryType, TreeRow } from '../../../shared/model.ts';
import type { TreeSource } from './tree.svelte.ts';

export type ShownChange = 'all' | 'added' | 'removed' | 'modified';

interface Node {
  name: string;
  path: string;
  type: EntryType;
  change: ChangeKind;
  /** Own delta plus every delta below. */
  delta: number;
  children: Map<string, Node>;
}

/** Small diffs open fully; big ones start at their top folders. */
export const OPEN_ALL_BELOW = 200;

function buildTree(result: DiffResult, show: ShownChange): { root: Node; count: number } {
  const root: Node = { name: '', path: '/', type: 'dir', change: 'unchanged', delta: 0, children: new Map() };
  let count = 0;
  const add = (path: string, change: Exclude<ChangeKind, 'unchanged'>, delta: number, type: EntryType) => {
    if (show !== 'all' && show !== change) return;
    count++;
    const parts = path.split('/').filter(Boolean);
    let node = root;
    root.delta += delta;
    parts.forEach((part, i) => {
      let next = node.children.get(part);
      if (!next) {
        next = { name: part, path: '/' + parts.slice(0, i + 1).join('/'), type: 'dir', change: 'unchanged', delta: 0, children: new Map() };
        node.children.set(part, next);
      }
      next.delta += delta;
      node = next;
    });
    node.change = change;
    node.type = type;
  };
  for (const e of result.added) add(e.path, 'added', e.size, e.type);
  for (const e of result.removed) add(e.path, 'removed', -e.size, e.type);
  for (const m of result.modified) add(m.path, 'modified', m.after - m.before, 'file');
  // A move is one entry in the summary, but both of its paths belong in the tree: where the file
  // was (removed there) and where it is now (added there), so no changed path is missing.
  for (const m of result.moved ?? []) {
    add(m.from, 'removed', -m.size, 'file');
    add(m.to, 'added', m.size, 'file');
  }
  // A folder on one side only is added / removed like its contents (never "unchanged" with a
  // negative size); so are the folders between it and them.
  const mark = (path: string, change: 'added' | 'removed') => {
    let node: Node | undefined = root;
    for (const part of path.split('/').filter(Boolean)) node = node?.children.get(part);
    const walk = (n: Node) => {
      if (n.change === 'unchanged') n.change = change;
      for (const c of n.children.values()) walk(c);
    };
    if (node && node !== root) walk(node);
  };
  for (const p of result.addedDirs ?? []) mark(p, 'added');
  for (const p of result.removedDirs ?? []) mark(p, 'removed');
  return { root, count };
}

export class DiffTreeModel implements TreeSource {
  readonly loading = false;
  readonly filter = '';
  focused = $state(0);
  rows = $state.raw<TreeRow[]>([]);
  private expanded: 'all' | Set<string>;
  private readonly root: Node;

  constructor(result: DiffResult, show: ShownChange = 'all') {
    const { root, count } = buildTree(result, show);
    this.root = root;
    this.expanded = count < OPEN_ALL_BELOW ? 'all' : new Set();
    this.flatten();
  }

  get total(): number {
    return this.rows.length;
  }

  row(index: number): TreeRow | undefined {
    return this.rows[index];
  }

  cached(index: number): TreeRow | undefined {
    return this.rows[index];
  }

  isExpanded(row: TreeRow): boolean {
    return row.childCount > 0 && (this.expanded === 'all' || this.expanded.has(row.path));
  }

  isOpenAt(_index: number, row: TreeRow): boolean {
    return this.isExpanded(row);
  }

  setExpanded(row: TreeRow, open: boolean): Promise<void> {
    if (row.childCount === 0 || this.isExpanded(row) === open) return Promise.resolve();
    const next = this.expanded === 'all' ? this.allDirs() : new Set(this.expanded);
    if (open) next.add(row.path);
    else next.delete(row.path);
    this.expanded = next;
    this.flatten();
    return Promise.resolve();
  }

  parentIndex(index: number): number {
    const row = this.rows[index];
    for (let i = index - 1; i >= 0 && row; i--) if (this.rows[i].depth < row.depth) return i;
    return -1;
  }

  private allDirs(): Set<string> {
    const out = new Set<string>();
    const walk = (n: Node) => {
      for (const c of n.children.values()) {
        if (!c.children.size) continue;
        out.add(c.path);
        walk(c);
      }
    };
    walk(this.root);
    return out;
  }

  private flatten(): void {
    const rows: TreeRow[] = [];
    const walk = (node: Node, depth: number) => {
      const kids = [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const c of kids) {
        const row: TreeRow = {
          path: c.path,
          name: c.name,
          depth,
          type: c.children.size ? 'dir' : c.type,
          size: c.delta,
          change: c.change,
          childCount: c.children.size,
          mode: 0,
          uid: 0,
          gid: 0,
          linkTarget: null,
        };
        rows.push(row);
        if (this.isExpanded(row)) walk(c, depth + 1);
      }
    };
    walk(this.root, 0);
    this.rows = rows;
  }
}
