// Diffs the UI pages through: each pair of sides is diffed and turned into rows once, then
// every page, filter and kind shown is answered from that (a small LRU, emptied by a new build).
import type { RequestArgs, ResponseTypes } from '../../../shared/api.ts';
import type { DiffResult } from '../../../shared/model.ts';
import { DiffRows } from '../image/diff-rows.ts';

type Pair = RequestArgs<'diff.summary'>;

const KEEP = 4;

export class DiffCache {
  /** Promises, so a summary and a first page asked together diff once. */
  private diffs = new Map<string, Promise<DiffRows>>();

  constructor(private readonly diff: (pair: Pair) => Promise<DiffResult>) {}

  clear(): void {
    this.diffs.clear();
  }

  private of(pair: Pair): Promise<DiffRows> {
    const side = (s: Pair['a']) => ('image' in s ? `image:${s.image}` : `${s.stage}@${s.snapshot ?? 'now'}`);
    const key = [side(pair.a), side(pair.b), [...(pair.ignore ?? [])].sort(), [...(pair.include ?? [])].sort()].join('|');
    let rows = this.diffs.get(key);
    if (rows) {
      this.diffs.delete(key);
    } else {
      rows = this.diff(pair).then((result) => new DiffRows(result));
      // A failed diff is not kept: the next request tries again (after a build, say).
      rows.catch(() => this.diffs.get(key) === rows && this.diffs.delete(key));
      if (this.diffs.size >= KEEP) this.diffs.delete(this.diffs.keys().next().value!);
    }
    this.diffs.set(key, rows);
    return rows;
  }

  async summary(pair: Pair): Promise<ResponseTypes['diff.summary']> {
    return (await this.of(pair)).summary;
  }

  async rows(args: RequestArgs<'diff.rows'>): Promise<ResponseTypes['diff.rows']> {
    const { a, b, ignore, include, show = 'all', list, expanded, filter, sort, offset, limit } = args;
    const diff = await this.of({ a, b, ignore, include });
    if (list) return diff.list(show, { filter, offset, limit });
    return diff.rows(show, { expanded: expanded === 'all' ? 'all' : new Set(expanded), filter, sort, offset, limit });
  }
}
