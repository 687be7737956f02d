// The changes between two sides as the renderer sees them: never whole. The engine builds the
// diff's tree once per pair of sides (signed size deltas, change marks) and this model pages its
// visible rows exactly as TreeModel pages a stage's tree, for FileTree or for the flat list.
import type { RequestArgs, ResponseTypes, StageScopeApi } from '../../../shared/api.ts';
import { TreeModel } from './tree.svelte.ts';

export type DiffPair = RequestArgs<'diff.summary'>;
export type ShownChange = NonNullable<RequestArgs<'diff.rows'>['show']>;

/** Small diffs open fully; big ones start at their top folders. */
export const OPEN_ALL_BELOW = 200;

/** How many rows a kind of change shows: a move is a removed and an added path. */
export function shownCount(summary: ResponseTypes['diff.summary'], show: ShownChange): number {
  const { added, removed, modified, moved } = summary.counts;
  if (show === 'added') return added + moved;
  if (show === 'removed') return removed + moved;
  if (show === 'modified') return modified;
  return added + removed + modified + 2 * moved;
}

export class DiffRowsModel extends TreeModel {
  constructor(
    api: StageScopeApi,
    readonly pair: DiffPair,
    readonly show: ShownChange,
    /** The flat list of changed paths instead of the tree. */
    readonly list: boolean,
    count: number,
  ) {
    // Not a stage's tree: the stage and layer of TreeModel are not used.
    super(api, -1, null);
    this.expanded = count < OPEN_ALL_BELOW ? 'all' : new Set();
  }

  protected override fetchRows(offset: number, limit: number): Promise<ResponseTypes['diff.rows']> {
    return this.api.request('diff.rows', {
      ...this.pair,
      show: this.show,
      list: this.list || undefined,
      expanded: this.expanded === 'all' ? 'all' : [...this.expanded],
      filter: this.filter.trim() || undefined,
      sort: this.sort,
      offset,
      limit,
    });
  }
}
