// A LayerIndex on disk: columns instead of one object per entry, so a 60k-entry layer is a few
// MB of JSON that parses in tens of milliseconds. The version and diffId travel inside the
// file too, so a stale or misplaced file is refused rather than trusted.
// Version 2 added the mtimes column. The layer cache reads only its own version (its folder is
// named by it, so a new version starts an empty cache and re-parses); the snapshot store still
// reads version 1 indexes it pinned earlier, whose entries then have no mtime.
import type { EntryType, FileMeta } from '../../../../shared/model.ts';
import type { LayerIndex } from '../types.ts';

export const CODEC_VERSION = 2;
/** The oldest version decodeLayer can read when asked to (the snapshot store's pinned layers). */
export const OLDEST_CODEC_VERSION = 1;

const TYPE_CODES: Record<EntryType, string> = { file: 'f', dir: 'd', symlink: 'l', hardlink: 'h', char: 'c', block: 'b', fifo: 'p' };
const CODE_TYPES = new Map(Object.entries(TYPE_CODES).map(([t, c]) => [c, t as EntryType]));

interface Encoded {
  v: number;
  diffId: string;
  size: number;
  tarBytes: number;
  whiteouts: string[];
  opaqueDirs: string[];
  paths: string[];
  /** One character per entry (TYPE_CODES). */
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

export function encodeLayer(layer: LayerIndex): string {
  const n = layer.entries.length;
  const e: Encoded = {
    v: CODEC_VERSION,
    diffId: layer.diffId,
    size: layer.size,
    tarBytes: layer.tarBytes,
    whiteouts: layer.whiteouts,
    opaqueDirs: layer.opaqueDirs,
    paths: new Array(n),
    types: '',
    sizes: new Array(n),
    modes: new Array(n),
    uids: new Array(n),
    gids: new Array(n),
    links: new Array(n),
    hashes: new Array(n),
    mtimes: new Array(n),
  };
  const types: string[] = new Array(n);
  layer.entries.forEach((m, i) => {
    e.paths[i] = m.path;
    types[i] = TYPE_CODES[m.type];
    e.sizes[i] = m.size;
    e.modes[i] = m.mode;
    e.uids[i] = m.uid;
    e.gids[i] = m.gid;
    e.links[i] = m.linkTarget ?? '';
    e.hashes[i] = m.hash ?? '';
    e.mtimes![i] = m.mtime ?? null;
  });
  e.types = types.join('');
  return JSON.stringify(e);
}

/**
 * The layer, or null when the text is not a layer with this diffId of a codec version from
 * `oldest` to the current one.
 */
export function decodeLayer(text: string, diffId: string, oldest = CODEC_VERSION): LayerIndex | null {
  let e: Encoded;
  try {
    e = JSON.parse(text) as Encoded;
  } catch {
    return null;
  }
  const v = e?.v;
  if (typeof v !== 'number' || v < oldest || v > CODEC_VERSION || e.diffId !== diffId || !Array.isArray(e.paths)) return null;
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
      // In the literal (not added after) so decoded and parsed entries share one object shape.
      mtime: typeof mtime === 'number' ? mtime : undefined,
    };
  }
  return { diffId, entries, whiteouts: e.whiteouts ?? [], opaqueDirs: e.opaqueDirs ?? [], size: e.size, tarBytes: e.tarBytes };
}
