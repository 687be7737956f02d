// A diff as rows the UI pages through, like a stage's tree: a 100k-file diff never crosses to
// the renderer whole. The DiffResult becomes a FileTree of what changed (sizes are signed
// deltas, so folders sum the deltas below them) and goes through the same treeRows walk, with
// its filter, sort and "N matches · X" totals; the flat list is a sorted, filtered slice.
import type { ChangeKind, DiffResult, EntryType, TreeRow } from '../../../shared/model.ts';
import { diffTotals } from '../../../shared/format.ts';
import type { DiffSummary } from '../../../shared/api.ts';
import { compileFilter, treeRows, type RowSlice } from './rows.ts';
import { dirMeta } from './file-meta.ts';
import { FileTree } from './tree.ts';
import { parentPath } from '../../../shared/paths.ts';

type ShownChange = 'all' | 'added' | 'removed' | 'modified';
type Kind = Exclude<ChangeKind, 'unchanged'>;

interface Change {
  path: string;
  change: Kind;
  type: EntryType;
  delta: number;
  /** Why it changed (modified reasons, a move's other end), for the flat list. */
  detail: string;
}

const MOVED_SHOWN = 500;

function diffSummary(result: DiffResult): DiffSummary {
  const moved = result.moved ?? [];
  return {
    counts: { added: result.added.length, removed: result.removed.length, modified: result.modified.length, moved: moved.length },
    totals: diffTotals(result),
    bytesAdded: result.bytesAdded,
    bytesRemoved: result.bytesRemoved,
    moved: moved.slice(0, MOVED_SHOWN),
  };
}

function changesOf(result: DiffResult): Change[] {
  const out: Change[] = [];
  for (const e of result.added) out.push({ path: e.path, change: 'added', type: e.type, delta: e.size, detail: e.type });
  for (const e of result.removed) out.push({ path: e.path, change: 'removed', type: e.type, delta: -e.size, detail: e.type });
  for (const m of result.modified)
    out.push({ path: m.path, change: 'modified', type: 'file', delta: m.after - m.before, detail: m.reasons.join(', ') });
  // A move is one entry in the summary, but both of its paths belong in the rows: where the file
  // was (removed there) and where it is now (added there), so no changed path is missing.
  for (const m of result.moved ?? []) {
    out.push({ path: m.from, change: 'removed', type: 'file', delta: -m.size, detail: `moved to ${m.to}` });
    out.push({ path: m.to, change: 'added', type: 'file', delta: m.size, detail: `moved from ${m.from}` });
  }
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

interface ShownTree {
  tree: FileTree;
  changes: Map<string, ChangeKind>;
}

/** The tree of the changes shown: only what changed, and the folders that lead to it. */
function changeTree(changes: Change[], result: DiffResult): ShownTree {
  // A changed path with changes below it (a folder whose mode changed) is a folder here.
  const folders = new Set<string>();
  for (const c of changes) for (let p = parentPath(c.path); p !== '/' && !folders.has(p); p = parentPath(p)) folders.add(p);
  const tree = new FileTree();
  const kinds = new Map<string, ChangeKind>();
  for (const c of changes) {
    const dir = c.type === 'dir' || folders.has(c.path);
    // Type 'file' for every other entry: FileTree sums the sizes of files only, and here a
    // symlink's or hardlink's delta counts in its folder like any other.
    tree.put(dir ? dirMeta(c.path) : { ...dirMeta(c.path), type: 'file', size: c.delta });
    kinds.set(c.path, c.change);
  }
  // A folder on one side only is added / removed like its contents (never "unchanged" with a
  // negative size); so are the folders between it and them.
  const mark = (path: string, change: Kind) => {
    const stack = [tree.lookup(path)];
    if (stack[0] <= 0) return;
    while (stack.length > 0) {
      const n = stack.pop()!;
      const p = tree.pathOf(n);
      if (!kinds.has(p)) kinds.set(p, change);
      stack.push(...tree.childIds(n));
    }
  };
  for (const p of result.addedDirs ?? []) mark(p, 'added');
  for (const p of result.removedDirs ?? []) mark(p, 'removed');
  return { tree, changes: kinds };
}

/** One diff, built once per pair of sides: the changes, and a tree per kind shown (on demand). */
export class DiffRows {
  readonly summary: DiffSummary;
  private readonly changes: Change[];
  private readonly trees = new Map<ShownChange, ShownTree>();

  constructor(private readonly result: DiffResult) {
    this.summary = diffSummary(result);
    this.changes = changesOf(result);
  }

  private shown(show: ShownChange): Change[] {
    return show === 'all' ? this.changes : this.changes.filter((c) => c.change === show);
  }

  private treeOf(show: ShownChange): ShownTree {
    let t = this.trees.get(show);
    if (!t) this.trees.set(show, (t = changeTree(this.shown(show), this.result)));
    return t;
  }

  /** Rows of the changed-files tree, as treeRows gives a stage's. */
  rows(show: ShownChange, opts: Omit<Parameters<typeof treeRows>[1], 'changes' | 'onlyChanged'>): RowSlice {
    const { tree, changes } = this.treeOf(show);
    return treeRows(tree, { ...opts, changes });
  }

  /** The flat list: every changed path in path order, named by its path, with why it changed. */
  list(show: ShownChange, opts: { filter?: string; offset?: number; limit?: number }): RowSlice {
    let changes = this.shown(show);
    if (opts.filter) {
      const match = compileFilter(opts.filter);
      changes = changes.filter((c) => match(c.path, c.path.slice(c.path.lastIndexOf('/') + 1)));
    }
    const start = Math.max(0, opts.offset ?? 0);
    const end = opts.limit === undefined ? changes.length : Math.min(changes.length, start + opts.limit);
    const rows: TreeRow[] = changes.slice(start, end).map((c) => ({
      path: c.path,
      name: c.path,
      depth: 0,
      type: c.type,
      size: c.delta,
      change: c.change,
      childCount: 0,
      mode: 0,
      uid: 0,
      gid: 0,
      linkTarget: null,
      detail: c.detail,
    }));
    if (!opts.filter) return { rows, total: changes.length };
    return { rows, total: changes.length, matches: { count: changes.length, bytes: changes.reduce((n, c) => n + c.delta, 0) } };
  }
}
