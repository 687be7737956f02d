// The image-source contract: where an image lives (engine, saved archive, OCI layout,
// registry) and how it is opened. Every source yields the same ArchiveContents the archive
// reader produces, so the tree / diff / efficiency analyses never know where bytes came from.
import type { ArchiveContents, ArchiveLimits, ArchiveProgress } from '../image/types.ts';
import type { LayerCache } from '../image/cache/index.ts';
import type { ConnectOptions } from '../docker/connection.ts';

export type SourceRef =
  | { kind: 'engine'; ref: string }
  | { kind: 'archive'; path: string }
  | { kind: 'oci-dir'; path: string; tag: string | null }
  | { kind: 'oci-archive'; path: string; tag: string | null }
  | { kind: 'registry'; host: string; repository: string; tag: string | null; digest: string | null };

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface OpenSourceOptions {
  /** `os/arch[/variant]`; default: this machine's platform. Used where the image is an index. */
  platform?: string;
  /** Read a plain reference (no `scheme:`) from a registry rather than the engine. */
  defaultKind?: 'engine' | 'registry';
  /** Extra CA certificate(s) (PEM file) trusted for registries, beside the system CAs. */
  caCertFile?: string;
  /** Allow plain HTTP / unverified TLS to a registry that is not on loopback. */
  insecure?: boolean;
  /** The persistent per-diffId layer index: a layer seen before is not downloaded again. */
  cache?: LayerCache | null;
  signal?: AbortSignal;
  onProgress?: (p: ArchiveProgress) => void;
  limits?: Partial<ArchiveLimits>;
  /** How to reach the engine for `engine` refs (default: as the docker CLI does). */
  engine?: ConnectOptions;
  /** Environment for credentials (DOCKER_CONFIG, PATH for docker-credential-*) and HOME. */
  env?: Record<string, string | undefined>;
  homeDir?: string;
}

export interface ImageSource {
  ref: SourceRef;
  /** One line naming where the image comes from, for reports and the UI. */
  label: string;
  /** Reads the image: config, layers (streamed once) and the per-layer file index. */
  read(): Promise<ArchiveContents>;
}

/** A content descriptor (OCI image spec). */
export interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}
