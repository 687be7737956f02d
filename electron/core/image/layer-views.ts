// tree.rows for one analyzed image, a project's stage or an opened image alike: its whole tree,
// one layer's own entries, or the image up to a layer, a slice at a time. A layer view costs a
// tree build: the last few are kept (a small LRU) while the user pages through them.
import type { RequestArgs } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import type { LayerChanges } from './apply-layer.ts';
import { buildLayerView, buildUptoView, treeRows, type LayerView, type RowSlice } from './rows.ts';
import type { FileTree } from './tree.ts';
import type { LayerIndex } from './types.ts';

/** What a tree.rows request asks, whichever image it names. */
export type TreeQuery = Omit<RequestArgs<'tree.rows'>, 'stage' | 'image'>;

/** An analyzed image as far as its rows go (AnalyzedImage has these, some built lazily). */
export interface LayeredImage {
  readonly tree: FileTree;
  readonly layers: LayerIndex[];
  readonly changes: LayerChanges[];
}

export class LayerViews {
  private readonly views = new Map<string, LayerView>();

  constructor(private readonly keep = 8) {}

  /** The view of `layer` in `image`; `key` names the image (an image id or a handle). */
  get(key: string, image: LayeredImage, layer: number, kind: 'layer' | 'upto'): LayerView {
    const k = `${key}:${layer}:${kind}`;
    let view = this.views.get(k);
    if (view) this.views.delete(k);
    else {
      view =
        kind === 'upto' ? buildUptoView(image.layers, image.changes, layer) : buildLayerView(image.layers[layer]!, image.changes[layer]!);
      if (this.views.size >= this.keep) this.views.delete(this.views.keys().next().value!);
    }
    this.views.set(k, view);
    return view;
  }

  /** One page of rows; `where` names the image in the message for a layer it does not have. */
  rows(key: string, image: LayeredImage, q: TreeQuery, where: string): RowSlice {
    const common = {
      expanded: q.expanded === 'all' ? ('all' as const) : new Set(q.expanded),
      filter: q.filter,
      sort: q.sort,
      onlyChanged: q.onlyChanged,
      offset: q.offset,
      limit: q.limit,
    };
    if (q.layer === null) return treeRows(image.tree, common);
    if (q.layer >= image.layers.length) {
      throw new StageScopeError('not-found', `Layer ${q.layer} does not exist in ${where} (it has ${image.layers.length}).`, null);
    }
    const view = this.get(key, image, q.layer, q.view ?? 'layer');
    return treeRows(view.tree, { ...common, changes: view.changes });
  }
}
