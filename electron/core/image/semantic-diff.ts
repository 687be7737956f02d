// The diff users ask for: the tree diff with metadata noise hidden on request (`--ignore
// owner,mode,link`) and moves detected. Content is compared by hash, never by size alone.
// Timestamps are ignored unless asked for (`--include mtime`): every rebuild of a COPY changes
// them when the context's files were touched, which would drown the changes users look for.
import type { ModifyReason } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { diffTrees } from './diff.ts';
import { detectMoves, type DiffWithMoves } from './moves.ts';
import type { FileTree } from './tree.ts';

export type IgnorableReason = 'owner' | 'mode' | 'link';
export const IGNORABLE_REASONS: readonly IgnorableReason[] = ['owner', 'mode', 'link'];

/** What is hidden by default and shown on request. */
export type IncludableReason = 'mtime';
export const INCLUDABLE_REASONS: readonly IncludableReason[] = ['mtime'];

export interface SemanticDiffOptions {
  /** Reasons hidden by default that count here (`mtime`). */
  include?: readonly IncludableReason[];
  /** Reasons that alone do not make an entry modified. */
  ignore?: readonly IgnorableReason[];
  /** Pair removed + added entries with the same content into moves (default true). */
  moves?: boolean;
}

/** `owner,mode` → the list; anything else is a usage error. */
export function parseIgnoreList(text: string): IgnorableReason[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!(IGNORABLE_REASONS as readonly string[]).includes(item)) {
      throw new StageScopeError('usage', `--ignore takes ${IGNORABLE_REASONS.join(', ')} (comma-separated), not "${item}".`, null);
    }
  }
  return [...new Set(items)] as IgnorableReason[];
}

export function semanticDiff(a: FileTree, b: FileTree, opts: SemanticDiffOptions = {}): DiffWithMoves {
  const diff = diffTrees(a, b, { mtime: opts.include?.includes('mtime') ?? false });
  const ignore = new Set<ModifyReason>(opts.ignore ?? []);
  if (ignore.size > 0) {
    diff.modified = diff.modified
      .map((m) => ({ ...m, reasons: m.reasons.filter((r) => !ignore.has(r)) }))
      .filter((m) => m.reasons.length > 0);
  }
  return opts.moves === false ? { ...diff, moved: [] } : detectMoves(diff, a, b);
}
