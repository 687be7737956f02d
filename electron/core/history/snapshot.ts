// A snapshot of one analysis: what `compare` needs later, taken from the Analysis in memory.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Snapshot } from '../../../shared/history.ts';
import type { Analysis } from '../project/analyze.ts';
import { newSnapshotId, SNAPSHOT_VERSION, type SnapshotStore } from './store.ts';

/** created_by can be a whole script; a snapshot keeps the start of it. */
const CREATED_BY_LIMIT = 500;

export async function dockerfileDigest(path: string): Promise<string> {
  const bytes = await readFile(path).catch(() => Buffer.alloc(0));
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

export function snapshotOf(
  analysis: Analysis,
  dockerfile: string,
  buildArgs: Record<string, string>,
  digest: string,
  now = new Date(),
): Snapshot {
  const { report } = analysis;
  return {
    v: SNAPSHOT_VERSION,
    id: newSnapshotId(now),
    time: now.toISOString(),
    dockerfile,
    dockerfileDigest: digest,
    target: report.target,
    targetIndex: report.targetIndex,
    buildArgs,
    builder: report.builder,
    stages: report.stages
      .filter((s) => s.image && analysis.stages.has(s.index))
      .map((s) => ({
        index: s.index,
        name: s.name,
        imageId: s.image!.id,
        size: s.image!.size,
        fileCount: s.fileCount,
        totalBytes: s.totalBytes,
        layers: s.layers.map((l) => ({ diffId: l.diffId, size: l.size, line: l.line, createdBy: l.createdBy.slice(0, CREATED_BY_LIMIT) })),
      })),
  };
}

/**
 * Records the analysis as a snapshot and pins its layers. A failed build is not recorded (it
 * would make a poor baseline); trouble with the store is a warning, never a failed analysis.
 */
export async function recordSnapshot(
  store: SnapshotStore,
  analysis: Analysis,
  dockerfile: string,
  buildArgs: Record<string, string> = {},
): Promise<Snapshot | null> {
  if (analysis.outcome.failure || analysis.stages.size === 0) return null;
  const snapshot = snapshotOf(analysis, dockerfile, buildArgs, await dockerfileDigest(dockerfile));
  // Stages restored from the result cache read a layer only if it must be copied.
  await store.record(snapshot, (d) => analysis.layer(d));
  return snapshot;
}
