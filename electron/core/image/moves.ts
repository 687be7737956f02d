// Move detection on a diff: a path removed and another added with the same content (hash for
// regular files, hash and link target for hardlinks, link target for symlinks) and the same
// type are one move. A hardlink whose target path changed is not a move: applying the move
// would keep the old target.
// Merged-/usr images make this common: a builder's /usr/bin/hello is the final image's
// /bin/hello. Pairs with the same file name are taken first (a rename of the folder), then the
// rest in path order, so the result is deterministic.
import type { DiffEntry, DiffResult, FileMeta } from '../../../shared/model.ts';
import type { DiffMove } from '../../../shared/history.ts';
import { type FileTree } from './tree.ts';
import { contentBytes } from './file-meta.ts';
import { baseName } from '../../../shared/paths.ts';

export type DiffWithMoves = DiffResult & { moved: DiffMove[] };

/** What makes two entries "the same content", or null for entries that never pair. */
export function moveKey(m: FileMeta): string | null {
  if (m.type === 'file' && m.hash) return `f:${m.hash}`;
  if (m.type === 'hardlink' && m.hash) return `h:${m.hash}|${m.linkTarget}`;
  if (m.type === 'symlink' && m.linkTarget !== null) return `l:${m.linkTarget}`;
  return null;
}

function group(entries: DiffEntry[], tree: FileTree): Map<string, { entry: DiffEntry; meta: FileMeta }[]> {
  const out = new Map<string, { entry: DiffEntry; meta: FileMeta }[]>();
  for (const entry of entries) {
    const meta = tree.get(entry.path);
    const key = meta ? moveKey(meta) : null;
    if (!meta || !key) continue;
    // Type is part of the key: a file never pairs with a hardlink.
    const k = `${meta.type}|${key}`;
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push({ entry, meta });
  }
  return out;
}

/** The diff with moved pairs taken out of added/removed; byte totals exclude moved bytes. */
export function detectMoves(diff: DiffResult, a: FileTree, b: FileTree): DiffWithMoves {
  const removedByKey = group(diff.removed, a);
  const addedByKey = group(diff.added, b);
  const moved: DiffMove[] = [];
  const gone = new Set<string>();
  const came = new Set<string>();
  let movedBytes = 0;
  for (const [key, removed] of removedByKey) {
    const added = addedByKey.get(key);
    if (!added) continue;
    const freeAdded = added.slice();
    const pairs: [(typeof removed)[number], (typeof added)[number]][] = [];
    const leftover: typeof removed = [];
    for (const r of removed) {
      const i = freeAdded.findIndex((x) => baseName(x.entry.path) === baseName(r.entry.path));
      if (i >= 0) pairs.push([r, freeAdded.splice(i, 1)[0]]);
      else leftover.push(r);
    }
    for (const r of leftover) {
      const x = freeAdded.shift();
      if (!x) break;
      pairs.push([r, x]);
    }
    for (const [r, x] of pairs) {
      moved.push({ from: r.entry.path, to: x.entry.path, size: x.entry.size });
      gone.add(r.entry.path);
      came.add(x.entry.path);
      movedBytes += contentBytes(x.meta);
    }
  }
  moved.sort((p, q) => (p.to < q.to ? -1 : p.to > q.to ? 1 : 0));
  return {
    ...diff, // addedDirs / removedDirs: folders on one side only stay named as such
    added: diff.added.filter((e) => !came.has(e.path)),
    removed: diff.removed.filter((e) => !gone.has(e.path)),
    modified: diff.modified,
    moved,
    bytesAdded: diff.bytesAdded - movedBytes,
    bytesRemoved: diff.bytesRemoved - movedBytes,
  };
}
