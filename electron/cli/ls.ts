// `stagescope ls <image|archive.tar|folder stage> [--layer N] [--json]`: every entry StageScope
// sees, with what fidelity needs (path, type, size, mode, owner, link target, content hash),
// so users, scripts and tests can check it against `docker save` or any other reader.
// Without --layer: the image's merged tree. With --layer N: that layer's own entries (as its
// tar carries them, whiteouts included), N counted from 0 at the bottom. --json prints one
// JSON object per line (ndjson): large trees stream instead of building one huge document.
import { analyzeOneImage } from '../core/source/inspect.ts';
import type { FileTree } from '../core/image/tree.ts';
import type { AnalyzedImage } from '../core/project/stage-analysis.ts';
import type { FileMeta } from '../../shared/model.ts';
import { StageScopeError } from '../../shared/errors.ts';
import { safeText } from './table.ts';

export interface LsEntry {
  path: string;
  /** file, dir, symlink, hardlink, char, block, fifo; with --layer also whiteout and opaque. */
  type: string;
  size: number;
  /** Permission bits in octal, e.g. "0755" (with setuid/setgid/sticky: "4755"). */
  mode: string;
  uid: number;
  gid: number;
  linkTarget: string | null;
  /** sha256 hex of the content, for regular files (and hardlinks resolved in their layer). */
  hash: string | null;
}

export interface LsOptions {
  layer: number | null;
  json: boolean;
}

/** Any image source `inspect` reads (engine, docker save archive, OCI layout, registry), holding one image. */
export async function analyzedSource(ref: string): Promise<AnalyzedImage> {
  return (await analyzeOneImage(ref, { purpose: 'ls lists one' })).analyzed;
}

function entryOf(m: FileMeta): LsEntry {
  return {
    path: m.path,
    type: m.type,
    size: m.size,
    mode: m.mode.toString(8).padStart(4, '0'),
    uid: m.uid,
    gid: m.gid,
    linkTarget: m.linkTarget,
    hash: m.hash,
  };
}

/** The merged tree, depth first in name order (folders before their contents). */
export function* treeEntries(a: AnalyzedImage): Generator<LsEntry> {
  const { tree } = a;
  const stack: number[] = [0];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const children = tree.sortedChildren(n).filter((c) => !tree.isGhost(c));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    if (n !== 0) yield { ...entryOf(tree.metaOf(n)), path: tree.pathOf(n) };
  }
}

/** One layer's own entries in tar order, then its opaque folders and whiteouts. */
export function* layerEntries(a: AnalyzedImage, index: number): Generator<LsEntry> {
  const layer = a.layers[index];
  if (!layer) {
    throw new StageScopeError(
      'usage',
      `The image has ${a.layers.length} layer(s); --layer takes 0 to ${a.layers.length - 1}.`,
      'Run `stagescope inspect` to see the layers.',
    );
  }
  for (const m of layer.entries) yield entryOf(m);
  const marker = (path: string, type: string): LsEntry => ({
    path,
    type,
    size: 0,
    mode: '0000',
    uid: 0,
    gid: 0,
    linkTarget: null,
    hash: null,
  });
  for (const p of layer.opaqueDirs) yield marker(p, 'opaque');
  for (const p of layer.whiteouts) yield marker(p, 'whiteout');
}

export function lsLine(e: LsEntry): string {
  const link = e.linkTarget === null ? '' : ` -> ${safeText(e.linkTarget)}`;
  return `${e.type.padEnd(8)} ${e.mode} ${`${e.uid}:${e.gid}`.padEnd(11)} ${String(e.size).padStart(10)} ${(e.hash ?? '-').slice(0, 12).padEnd(12)} ${safeText(e.path)}${link}`;
}

/** Writes the listing in pieces (a million entries must not become one string). */
export function printListing(a: AnalyzedImage, opts: LsOptions, write: (text: string) => void): number {
  const entries = opts.layer === null ? treeEntries(a) : layerEntries(a, opts.layer);
  let batch: string[] = [];
  for (const e of entries) {
    batch.push(opts.json ? JSON.stringify(e) : lsLine(e));
    if (batch.length >= 2000) {
      write(batch.join('\n') + '\n');
      batch = [];
    }
  }
  if (batch.length > 0) write(batch.join('\n') + '\n');
  return 0;
}

export interface ModifiedWithMeta {
  path: string;
  mode: { before: string; after: string };
  owner: { before: string; after: string };
}

/**
 * `diff --json` modified entries with mode and owner on both sides (octal mode, "uid:gid"),
 * so a script sees what a mode or owner change was, not only that there was one.
 */
export function withModeAndOwner<T extends { path: string }>(modified: T[], before: FileTree, after: FileTree): (T & ModifiedWithMeta)[] {
  const octal = (m: FileMeta | null) => (m ? m.mode.toString(8).padStart(4, '0') : '');
  const owner = (m: FileMeta | null) => (m ? `${m.uid}:${m.gid}` : '');
  return modified.map((m) => {
    const a = before.get(m.path);
    const b = after.get(m.path);
    return { ...m, mode: { before: octal(a), after: octal(b) }, owner: { before: owner(a), after: owner(b) } };
  });
}
