// The layer index as columnar JSON: codec versions 1 and 2, written until version 3 made the
// format binary. Only read now: the snapshot store keeps indexes it pinned in this form.
// Version 2 added the mtimes column; a version 1 index has entries without mtime.
import type { EntryType, FileMeta } from '../../../../shared/model.ts';
import type { LayerIndex } from '../types.ts';

export const LAST_JSON_VERSION = 2;

const CODE_TYPES = new Map<string, EntryType>([
  ['f', 'file'],
  ['d', 'dir'],
  ['l', 'symlink'],
  ['h', 'hardlink'],
  ['c', 'char'],
  ['b', 'block'],
  ['p', 'fifo'],
]);

interface Encoded {
  v: number;
  diffId: string;
  size: number;
  tarBytes: number;
  whiteouts: string[];
  opaqueDirs: string[];
  paths: string[];
  /** One character per entry (CODE_TYPES). */
  types: string;
  sizes: number[];
  modes: number[];
  uids: number[];
  gids: number[];
  /** '' when null. */
  links: string[];
  hashes: string[];
  /** Since version 2; null when the entry has none. */
  mtimes?: (number | null)[];
}

/** The layer, or null when the text is not a layer with this diffId of a JSON version from `oldest` on. */
export function decodeJsonLayer(text: string, diffId: string, oldest: number): LayerIndex | null {
  let e: Encoded;
  try {
    e = JSON.parse(text) as Encoded;
  } catch {
    return null;
  }
  const v = e?.v;
  if (typeof v !== 'number' || v < oldest || v > LAST_JSON_VERSION || e.diffId !== diffId || !Array.isArray(e.paths)) return null;
  const n = e.paths.length;
  const mtimes = v >= 2 ? e.mtimes : undefined;
  const columns = [e.sizes, e.modes, e.uids, e.gids, e.links, e.hashes, ...(v >= 2 ? [mtimes] : [])];
  if (typeof e.types !== 'string' || e.types.length !== n || columns.some((c) => !Array.isArray(c) || c.length !== n)) return null;
  const entries: FileMeta[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const type = CODE_TYPES.get(e.types[i]!);
    if (!type) return null;
    const mtime = mtimes?.[i];
    entries[i] = {
      path: e.paths[i]!,
      type,
      size: e.sizes[i]!,
      mode: e.modes[i]!,
      uid: e.uids[i]!,
      gid: e.gids[i]!,
      linkTarget: e.links[i] || (type === 'symlink' ? '' : null),
      hash: e.hashes[i] || null,
      mtime: typeof mtime === 'number' ? mtime : undefined,
    };
  }
  return { diffId, entries, whiteouts: e.whiteouts ?? [], opaqueDirs: e.opaqueDirs ?? [], size: e.size, tarBytes: e.tarBytes };
}
