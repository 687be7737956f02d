// Compares a file list StageScope computed (the aggregated tree of an image) with the
// reference from `docker export`, ignoring what the engine's init layer adds to containers.
import { withoutEngineArtifacts, type ExportEntry } from './engine.ts';

export type ComparableEntry = Pick<ExportEntry, 'path' | 'type' | 'size' | 'linkTarget'>;

export interface FidelityReport {
  /** In docker export, absent from ours. */
  missing: string[];
  /** In ours, absent from docker export. */
  extra: string[];
  /** In both with a different type, size (regular files) or symlink target. */
  different: Array<{ path: string; ours: ComparableEntry; docker: ComparableEntry }>;
}

// A hard link is one inode under two names: a tree may show the second name as a file with
// the target's size, the tar as a 0-byte link. Both are faithful.
function sameKind(a: ComparableEntry, b: ComparableEntry): boolean {
  const isFileLike = (e: ComparableEntry) => e.type === 'file' || e.type === 'hardlink';
  if (isFileLike(a) && isFileLike(b)) return a.type !== b.type || a.type === 'hardlink' || a.size === b.size;
  if (a.type !== b.type) return false;
  return a.type !== 'symlink' || a.linkTarget === b.linkTarget;
}

export function fidelityReport(ours: readonly ComparableEntry[], docker: readonly ComparableEntry[]): FidelityReport {
  const mine = new Map(withoutEngineArtifacts(ours).map((e) => [e.path, e]));
  const theirs = new Map(withoutEngineArtifacts(docker).map((e) => [e.path, e]));
  const report: FidelityReport = { missing: [], extra: [], different: [] };
  for (const [path, d] of theirs) {
    const o = mine.get(path);
    if (!o) report.missing.push(path);
    else if (!sameKind(o, d)) report.different.push({ path, ours: o, docker: d });
  }
  for (const path of mine.keys()) if (!theirs.has(path)) report.extra.push(path);
  report.missing.sort();
  report.extra.sort();
  return report;
}

export function isFaithful(r: FidelityReport): boolean {
  return r.missing.length === 0 && r.extra.length === 0 && r.different.length === 0;
}
