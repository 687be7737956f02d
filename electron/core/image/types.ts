// The engine-internal view of an image archive: what the archive reader produces and the
// tree / diff / efficiency / copy analyses consume. Not sent to the UI as is.
import type { FileMeta } from '../../../shared/model.ts';

/** One layer tar, read once: every entry it carries, whiteouts kept apart. */
export interface LayerIndex {
  /** `sha256:...` of the uncompressed layer tar. */
  diffId: string;
  /**
   * Entries in archive order, paths absolute and normalized (`/usr/bin/go`), whiteout
   * entries and the root (`./`) excluded; repeated unchanged directories kept. Hardlinks keep
   * type 'hardlink' and linkTarget (absolute), and carry the size and hash of the file they
   * link to when it is in the same layer (else size 0 and hash null: resolve it below).
   */
  entries: FileMeta[];
  /** Absolute paths deleted from lower layers by `.wh.NAME` entries. */
  whiteouts: string[];
  /** Directories whose lower children are hidden by `.wh..wh..opq`. */
  opaqueDirs: string[];
  /** Sum of regular-file content bytes in this layer. */
  size: number;
  /** Bytes of the uncompressed tar stream. */
  tarBytes: number;
}

/** One history entry of an image config (oldest first). */
export interface HistoryEntry {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  config?: {
    Env?: string[];
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
  };
  rootfs: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
}

/** One image found in an archive. */
export interface ImageRecord {
  /** `sha256:<config digest>` (the image id the engine reports). */
  id: string;
  repoTags: string[];
  config: ImageConfig;
  /** diffIds bottom to top (= config.rootfs.diff_ids). */
  layers: string[];
}

export interface ArchiveContents {
  images: ImageRecord[];
  /** Every distinct layer in the archive, by diffId (a layer shared by images appears once). */
  layers: Map<string, LayerIndex>;
  /**
   * Where each layer's blob lies in its source, by diffId, so one file can be read from it
   * later: a member of the archive (symlinks followed) or a blob store's descriptor.
   */
  blobs?: Map<string, LayerBlob>;
}

/**
 * A layer blob's place in its source: an archive member (with the offset of its tar header in
 * the archive stream, which a plain archive file can seek to), or a blob store's descriptor.
 */
export type LayerBlob = { member: string; offset?: number } | { digest: string; size?: number; mediaType?: string };

/** Bounds that keep a hostile or broken archive from exhausting memory or time. */
export interface ArchiveLimits {
  /** Layer entries over the whole archive. */
  maxEntries: number;
  /** Characters in one normalized entry path. */
  maxPathLength: number;
  /** Components in one normalized entry path. */
  maxPathDepth: number;
  /** A compressed blob fails when it inflates past both of these (decompression bomb). */
  maxCompressionRatio: number;
  maxInflatedBytes: number;
  /** JSON blobs (configs, manifests) larger than this are not kept. */
  maxJsonBytes: number;
  /** Largest zstd window accepted (fzstd allocates the window up front). */
  maxZstdWindow: number;
}

export interface ArchiveProgress {
  /** Bytes of the archive read so far. */
  bytes: number;
  /** Layer blobs fully parsed so far. */
  layersDone: number;
}

export interface ReadArchiveOptions {
  signal?: AbortSignal;
  onProgress?: (p: ArchiveProgress) => void;
  limits?: Partial<ArchiveLimits>;
  /**
   * Return false for layers the caller already has indexed (e.g. from a persistent cache):
   * they are skipped when their diffId is known before parsing (uncompressed blobs) and left
   * out of ArchiveContents.layers either way.
   */
  wantLayer?: (diffId: string) => boolean;
}
