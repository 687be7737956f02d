// One stage's (or opened image's) file tree as the renderer sees it: never whole. The engine flattens the visible
// rows (expanded directories only, filtered, sorted) and we fetch them page by page as the
// virtual list scrolls over them, so a 200k-node tree costs a few hundred rows of memory.
import type { RequestArgs, ResponseTypes, StageScopeApi } from '../../../shared/api.ts';
import type { RowMatches, TreeRow } from '../../../shared/model.ts';
import { sideArgs, type Side } from './side.ts';

export const PAGE_SIZE = 200;
/** Pages kept (LRU): a few screens either way of the rows in view, not all that was ever seen. */
export const CACHED_PAGES = 24;
/** Pages fetched ahead of the rows in view in the scroll's direction (and one behind). */
const AHEAD = 2;

/** What the FileTree component needs (TreeModel pages it from the engine). */
export interface TreeSource {
  readonly total: number;
  /** Changes when rows in view arrive. */
  readonly version: number;
  readonly loading: boolean;
  readonly filter: string;
  /** With a filter: how many entries match and their bytes (the engine's count). */
  readonly matches?: RowMatches | null;
  focused: number;
  row(index: number): TreeRow | undefined;
  cached(index: number): TreeRow | undefined;
  isOpenAt(index: number, row: TreeRow): boolean;
  isExpanded(row: TreeRow): boolean;
  setExpanded(row: TreeRow, open: boolean): Promise<void>;
  parentIndex(index: number): number;
  /**
   * The list shows rows first..last and scrolls in `direction` (-1, 0, 1): fetch their pages
   * and the next ones before they are needed; a page that arrives outside them changes nothing
   * on screen.
   */
  inView?(first: number, last: number, direction: number): void;
}

export type SortKey = 'name' | 'size';
export type LayerViewKind = 'layer' | 'upto';

export class TreeModel implements TreeSource {
  total = $state(0);
  loading = $state(false);
  error = $state.raw<unknown>(null);
  /** Bumped when a page of the rows in view arrives so rendered rows re-read the cache. */
  version = $state(0);
  filter = $state('');
  matches = $state.raw<RowMatches | null>(null);
  sort = $state<SortKey>('name');
  onlyChanged = $state(false);
  focused = $state(0);
  /** 'all' expands every directory; otherwise the expanded directory paths. */
  expanded = $state.raw<'all' | Set<string>>(new Set());

  /** Least recently shown first (a Map keeps insertion order: shown pages are re-inserted). */
  private pages = new Map<number, TreeRow[]>();
  private inflight = new Set<number>();
  /** The rows the list shows (and the one after, for the last row's twisty); null: all rows. */
  private shown: { first: number; last: number } | null = null;
  /** Version bumps by arriving pages; not state (reload() reads it, maybe inside an effect). */
  private arrivals = 0;
  /** Directories with children seen in any page since the last reload (pages are dropped). */
  private seenDirs = new Set<string>();
  /** Responses of an older query (before a reload) are dropped. */
  private generation = 0;

  constructor(
    protected readonly api: StageScopeApi,
    /** A stage index or an opened image's handle. */
    readonly side: Side,
    readonly layer: number | null,
    /** With a layer: its own entries, or the whole image as of that layer. */
    readonly view: LayerViewKind = 'layer',
  ) {}

  private query(offset: number, limit: number): RequestArgs<'tree.rows'> {
    return {
      ...sideArgs(this.side),
      layer: this.layer,
      view: this.layer === null ? undefined : this.view,
      expanded: this.expanded === 'all' ? 'all' : [...this.expanded],
      filter: this.filter.trim() || undefined,
      sort: this.sort,
      onlyChanged: this.onlyChanged || undefined,
      offset,
      limit,
    };
  }

  /** One page of visible rows (a diff's model asks diff.rows instead). */
  protected fetchRows(offset: number, limit: number): Promise<ResponseTypes['tree.rows']> {
    return this.api.request('tree.rows', this.query(offset, limit));
  }

  /** Drop every cached page and fetch the first one again (after any change of the query). */
  async reload(): Promise<void> {
    this.generation++;
    this.pages.clear();
    this.inflight.clear();
    this.seenDirs.clear();
    this.loading = true;
    const arrivals = this.arrivals;
    await this.loadPage(0);
    // Every row in view is of the old query: re-read, even if page 0 is not among them.
    if (this.arrivals === arrivals) this.version++;
    this.loading = false;
    if (this.focused >= this.total) this.focused = Math.max(0, this.total - 1);
  }

  /** The row at a visible index, or undefined while its page is on the way (then it is fetched). */
  row(index: number): TreeRow | undefined {
    void this.version;
    const page = Math.floor(index / PAGE_SIZE);
    const rows = this.pages.get(page);
    if (!rows) {
      void this.loadPage(page);
      return undefined;
    }
    return rows[index - page * PAGE_SIZE];
  }

  /** A row only if it is already cached: for keyboard moves that must not wait. */
  cached(index: number): TreeRow | undefined {
    const rows = this.pages.get(Math.floor(index / PAGE_SIZE));
    return rows?.[index % PAGE_SIZE];
  }

  inView(first: number, last: number, direction: number): void {
    this.shown = { first, last: last + 1 };
    // Nothing loaded yet: the view's first reload() asks for page 0 with its own query.
    if (this.total === 0) return;
    const a = Math.floor(Math.max(0, first) / PAGE_SIZE);
    const b = Math.floor(Math.max(0, last) / PAGE_SIZE);
    const lastPage = Math.max(0, Math.ceil(this.total / PAGE_SIZE) - 1);
    // The socket answers in order: the pages in view first, then ahead, then one behind.
    const order: number[] = [];
    for (let p = a; p <= b; p++) order.push(p);
    const ahead = (k: number) => (direction < 0 ? a - k : b + k);
    for (let k = 1; k <= (direction === 0 ? 1 : AHEAD); k++) order.push(ahead(k));
    order.push(direction < 0 ? b + 1 : a - 1);
    for (const p of order) {
      if (p < 0 || p > lastPage) continue;
      const rows = this.pages.get(p);
      if (rows) {
        // Most recently shown last: eviction takes the pages the list left longest ago.
        this.pages.delete(p);
        this.pages.set(p, rows);
      } else void this.loadPage(p);
    }
  }

  private evict(): void {
    for (const p of this.pages.keys()) {
      if (this.pages.size <= CACHED_PAGES) break;
      const s = this.shown;
      if (s && p * PAGE_SIZE <= s.last + AHEAD * PAGE_SIZE && (p + 1) * PAGE_SIZE > s.first - AHEAD * PAGE_SIZE) continue;
      this.pages.delete(p);
    }
  }

  async loadPage(page: number): Promise<void> {
    if (this.pages.has(page) || this.inflight.has(page)) return;
    const generation = this.generation;
    this.inflight.add(page);
    try {
      const { rows, total, matches } = await this.fetchRows(page * PAGE_SIZE, PAGE_SIZE);
      if (generation !== this.generation) return;
      this.pages.set(page, rows);
      for (const r of rows) if (r.type === 'dir' && r.childCount > 0) this.seenDirs.add(r.path);
      this.evict();
      this.total = total;
      this.matches = matches ?? null;
      this.error = null;
      // A page fetched ahead of the list re-renders nothing: the rows read it when they get there.
      const s = this.shown;
      if (!s || (page * PAGE_SIZE <= s.last && (page + 1) * PAGE_SIZE > s.first)) {
        this.arrivals++;
        this.version++;
      }
    } catch (err) {
      if (generation === this.generation) this.error = err;
    } finally {
      if (generation === this.generation) this.inflight.delete(page);
    }
  }

  isExpanded(row: TreeRow): boolean {
    return row.type === 'dir' && row.childCount > 0 && (this.expanded === 'all' || this.expanded.has(row.path));
  }

  /**
   * Whether the directory at `index` shows its children. The rows themselves say so (the next
   * row is deeper): the engine also opens, by itself, the folders above filter matches.
   */
  isOpenAt(index: number, row: TreeRow): boolean {
    void this.version;
    const next = this.cached(index + 1);
    if (next && row.type === 'dir') return next.depth > row.depth;
    if (index + 1 >= this.total) return false;
    return this.isExpanded(row);
  }

  setExpanded(row: TreeRow, open: boolean): Promise<void> {
    if (row.type !== 'dir' || row.childCount === 0 || this.isExpanded(row) === open) return Promise.resolve();
    let next: Set<string>;
    if (this.expanded === 'all') {
      // Collapsing one directory out of "all": keep open every directory we have seen.
      next = new Set(this.loadedDirs());
    } else {
      next = new Set(this.expanded);
    }
    if (open) next.add(row.path);
    else for (const p of [...next]) if (p === row.path || p.startsWith(row.path + '/')) next.delete(p);
    this.expanded = next;
    return this.reload();
  }

  expandAll(): Promise<void> {
    this.expanded = 'all';
    return this.reload();
  }

  collapseAll(): Promise<void> {
    this.expanded = new Set();
    this.focused = 0;
    return this.reload();
  }

  /** Open the ancestors of `path` and find its visible index (scanning pages), or -1. */
  async locate(path: string): Promise<number> {
    if (this.expanded !== 'all') {
      const next = new Set(this.expanded);
      const parts = path.split('/').filter(Boolean);
      for (let i = 1; i < parts.length; i++) next.add('/' + parts.slice(0, i).join('/'));
      this.expanded = next;
    }
    await this.reload();
    // The total is known once a page of this query has arrived (another reload may have
    // dropped the first answer): read pages, not the total, first.
    for (let page = 0; page < 500; page++) {
      const rows = await this.pageRows(page);
      const at = rows.findIndex((r) => r.path === path);
      if (at >= 0) return page * PAGE_SIZE + at;
      if ((page + 1) * PAGE_SIZE >= this.total) break;
    }
    return -1;
  }

  /**
   * A page's rows, fetched if need be. Another reload (the view's first query, a filter) may
   * drop the page while we wait, or the page may be in flight for someone else: ask again.
   */
  private async pageRows(page: number): Promise<TreeRow[]> {
    for (let attempt = 0; attempt < 20; attempt++) {
      await this.loadPage(page);
      const rows = this.pages.get(page);
      if (rows) return rows;
      await new Promise((r) => setTimeout(r, 25));
    }
    return [];
  }

  /** The nearest cached row before `index` that is one level up: the parent, for Left. */
  parentIndex(index: number): number {
    const row = this.cached(index);
    if (!row) return -1;
    for (let i = index - 1; i >= 0; i--) {
      const r = this.cached(i);
      if (!r) return -1;
      if (r.depth < row.depth) return i;
    }
    return -1;
  }

  private loadedDirs(): string[] {
    return [...this.seenDirs];
  }
}
