// Plain data of build-over-build comparison and file lineage (issue 11): snapshots, compare
// reports, moves, `why` steps. JSON-safe, like model.ts; shared by the engine, CLI and UI.
import type { ModifyReason } from './model.ts';

/** One layer of a stage image as a snapshot remembers it. */
export interface SnapshotLayer {
  diffId: string;
  /** Bytes of file content the layer carries. */
  size: number;
  /** The Dockerfile line that made it, when known. */
  line: number | null;
  createdBy: string;
}

export interface SnapshotStage {
  index: number;
  name: string | null;
  imageId: string;
  /** Image size as the engine reported it. */
  size: number;
  fileCount: number;
  totalBytes: number;
  layers: SnapshotLayer[];
}

/** What one analysis recorded: enough to compare a later build with it, images gone or not. */
export interface Snapshot {
  v: number;
  /** Sortable by time: `20261202T064501Z-3fa9c2`. */
  id: string;
  /** ISO time of the analysis. */
  time: string;
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  /** sha256 of the Dockerfile's bytes at the time. */
  dockerfileDigest: string;
  target: string;
  targetIndex: number;
  buildArgs: Record<string, string>;
  builder: 'buildkit' | 'classic';
  stages: SnapshotStage[];
}

/** `stagescope history` rows and the UI's snapshot picker. */
export interface SnapshotSummary {
  id: string;
  time: string;
  target: string;
  finalSize: number;
  stages: { index: number; name: string | null; size: number }[];
}

export interface DiffMove {
  from: string;
  to: string;
  size: number;
}

export type CompareStatus = 'changed' | 'unchanged' | 'added' | 'removed';

export interface CompareStage {
  index: number;
  name: string | null;
  status: CompareStatus;
  /** Index of the matching stage in the baseline, when there is one. */
  baselineIndex: number | null;
  sizeBefore: number | null;
  sizeAfter: number | null;
  added: { path: string; size: number; line: number | null }[];
  removed: { path: string; size: number }[];
  modified: { path: string; before: number; after: number; reasons: ModifyReason[]; line: number | null }[];
  moved: { from: string; to: string; size: number; line: number | null }[];
  /** Layers of the new image that the baseline image did not have (by diffId), with their line. */
  layersChanged: { index: number; diffId: string; line: number | null; createdBy: string; size: number }[];
  /** False when the baseline's file indexes were gone: only sizes and layers are compared. */
  filesCompared: boolean;
}

export interface CompareReport {
  baseline: { id: string; time: string };
  current: { id: string | null; time: string };
  dockerfile: string;
  target: string;
  stages: CompareStage[];
  final: { name: string; sizeBefore: number | null; sizeAfter: number | null };
  warnings: string[];
}

export interface WhyVia {
  copyLine: number;
  fromStage?: { index: number; name: string | null };
  fromImage?: string;
  sourcePath: string;
}

export interface WhyStep {
  stage: { index: number; name: string | null } | null;
  /** External image the layer belongs to, when it is not a stage's own layer. */
  image?: string;
  layer: number;
  line: number | null;
  instruction: string;
  change: 'added' | 'modified' | 'removed';
  size: number;
  hash: string | null;
  via?: WhyVia;
}

export interface WhyReport {
  stage: { index: number; name: string | null };
  path: string;
  /** Origin first. */
  steps: WhyStep[];
}

export interface LeftBehindStage {
  index: number;
  name: string | null;
  /** Bytes of regular files in this stage that no COPY --from or FROM chain takes to the target. */
  bytes: number;
  /** Largest of them first. */
  paths: { path: string; size: number }[];
}

export interface LeftBehindReport {
  target: { index: number; name: string | null };
  stages: LeftBehindStage[];
}
