import type { ArchiveLimits } from '../types.ts';

const MiB = 1024 * 1024;

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 5_000_000,
  maxPathLength: 4096,
  maxPathDepth: 256,
  maxCompressionRatio: 200,
  maxInflatedBytes: 1024 * MiB,
  maxJsonBytes: 4 * MiB,
  maxZstdWindow: 256 * MiB,
});

export function resolveLimits(partial?: Partial<ArchiveLimits>): ArchiveLimits {
  return { ...DEFAULT_ARCHIVE_LIMITS, ...partial };
}
