// Build-over-build history (issue 11): the snapshot store, snapshots of analyses, and the
// baseline resolver `stagescope compare` and `stagescope check` measure against.
export {
  SnapshotStore,
  projectKey,
  snapshotSummary,
  SNAPSHOT_VERSION,
  DEFAULT_SNAPSHOTS_PER_PROJECT,
  DEFAULT_MAX_HISTORY_BYTES,
  type SnapshotStoreOptions,
} from './store.ts';
export { recordSnapshot, snapshotOf, dockerfileDigest } from './snapshot.ts';
export { resolveBaseline, loadSnapshotTree, type ComparableSnapshot, type BaselineContext } from './baseline.ts';
