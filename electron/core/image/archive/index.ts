// The image archive reader: `docker save` streams (Engine <= 24 and >= 25 layouts) in, a
// per-layer index out. See read.ts.
export { readImageArchive } from './read.ts';
export { readImageArchiveFile } from './file.ts';
export { DEFAULT_ARCHIVE_LIMITS, resolveLimits } from './limits.ts';
export { normalizeEntryPath } from './paths.ts';
