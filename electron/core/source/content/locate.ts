// Which layer holds a file's bytes. The analysis keeps every layer's entries: the topmost layer
// with an entry for the path wrote what the image shows (a lower one was replaced, and a path a
// whiteout deleted is not in the tree at all). A hardlink's bytes are its target's, in the same
// layer or one below (OCI image spec, layer.md: "Hardlinks").
import { StageScopeError } from '../../../../shared/errors.ts';
import type { FileMeta } from '../../../../shared/model.ts';
import type { LayerIndex } from '../../image/types.ts';

export interface Located {
  /** Index of the layer (bottom first) whose tar holds the bytes. */
  layer: number;
  /** The regular-file entry to read there; its hash is what the analysis computed. */
  entry: FileMeta;
}

/** Links followed before giving up (a link to a link is already unusual). */
const MAX_HOPS = 8;

/** The topmost entry for `path` in layers 0..top, or null. */
function topmostEntry(layers: readonly LayerIndex[], path: string, top: number): Located | null {
  for (let i = top; i >= 0; i--) {
    const entries = layers[i]!.entries;
    for (let j = entries.length - 1; j >= 0; j--) if (entries[j]!.path === path) return { layer: i, entry: entries[j]! };
  }
  return null;
}

export function locateContent(layers: readonly LayerIndex[], path: string): Located {
  let want = path;
  let top = layers.length - 1;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const found = topmostEntry(layers, want, top);
    if (!found) {
      throw new StageScopeError(
        'not-found',
        want === path ? `${path} is in no layer of this image.` : `${path} links to ${want}, which is in no layer at or below its own.`,
        null,
      );
    }
    if (found.entry.type === 'file') return found;
    if (found.entry.type !== 'hardlink' || !found.entry.linkTarget) {
      throw new StageScopeError('usage', `${want} is a ${found.entry.type}, not a regular file: only files have content to read.`, null);
    }
    want = found.entry.linkTarget;
    top = found.layer;
  }
  throw new StageScopeError('archive', `${path} is a hardlink chain longer than ${MAX_HOPS} links.`, null);
}
