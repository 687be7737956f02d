// Helpers for tests that need the real Docker Engine. They never skip: a missing engine or
// base image is a provisioning fault, so they throw an error saying how to fix it.
import Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import { StageScopeError } from '../../shared/errors.ts';
import { BASE_IMAGES, BASE_IMAGE_LABEL, BUILD_BASE_IMAGES_SCRIPT } from './base-images.ts';
import { readTarFileList, type ExportEntry } from './tar-list.ts';

export type { ExportEntry } from './tar-list.ts';

const PING_TIMEOUT_MS = 5000;
let cached: Dockerode | null = null;

function statusCode(err: unknown): number | undefined {
  return (err as { statusCode?: number } | null)?.statusCode;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A Dockerode client for the engine (DOCKER_HOST or /var/run/docker.sock), proven to answer. */
export async function requireEngine(): Promise<Dockerode> {
  const docker = cached ?? new Dockerode();
  try {
    await withTimeout(docker.ping(), PING_TIMEOUT_MS, 'the Docker Engine');
  } catch (err) {
    cached = null;
    const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    throw new StageScopeError(
      'engine',
      `No Docker Engine answers at ${where} (${err instanceof Error ? err.message : String(err)}).`,
      'Start it with `bash scripts/ci/start-docker.sh` (or run .ci/run, which provisions everything).',
    );
  }
  cached = docker;
  return docker;
}

export async function imageExists(ref: string): Promise<boolean> {
  const docker = await requireEngine();
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (err) {
    if (statusCode(err) === 404) return false;
    throw err;
  }
}

/** Throws naming the provisioning script when any base image (or one of `names`) is missing. */
export async function requireBaseImages(refs: readonly string[] = Object.values(BASE_IMAGES)): Promise<void> {
  const docker = await requireEngine();
  const missing: string[] = [];
  for (const ref of refs) {
    try {
      const info = await docker.getImage(ref).inspect();
      if (info.Config?.Labels?.[BASE_IMAGE_LABEL] !== '1') missing.push(`${ref} (not built by the script)`);
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
      missing.push(ref);
    }
  }
  if (missing.length > 0) {
    throw new StageScopeError(
      'not-found',
      `Base image${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}.`,
      `Build them offline with \`bash ${BUILD_BASE_IMAGES_SCRIPT}\`.`,
    );
  }
}

/** Removes images by ref or id; ones already gone are fine. Errors other than 404 are thrown. */
export async function removeImages(refs: readonly string[]): Promise<void> {
  const docker = await requireEngine();
  for (const ref of refs) {
    try {
      await docker.getImage(ref).remove({ force: true });
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  }
}

export interface ImportEntry {
  /** Path inside the image, e.g. `app/x.txt` or `/app/x.txt`. */
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
}

/**
 * Makes a one-layer image from entries with `docker import` (no CMD, no ENTRYPOINT, label
 * org.stagescope.test=1): for hand-made cases such as hard links or odd modes. Name it
 * `stagescope-test/...` and remove it after. Returns the image id.
 */
export async function importImageFromEntries(ref: string, entries: readonly ImportEntry[]): Promise<string> {
  const docker = await requireEngine();
  const pack = tar.pack();
  for (const e of entries) {
    const name = e.name.replace(/^\/+/, '');
    const type = e.type ?? 'file';
    const mode = e.mode ?? (type === 'directory' ? 0o755 : 0o644);
    if (type === 'file') pack.entry({ name, type, mode }, e.content ?? '');
    else pack.entry({ name, type, mode, linkname: e.linkname });
  }
  pack.finalize();
  const [repo, tag] = splitRef(ref);
  const progress = await docker.importImage(pack as unknown as NodeJS.ReadableStream, {
    repo,
    tag,
    changes: `LABEL ${BASE_IMAGE_LABEL}=1`,
  });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(progress, (err: Error | null, out: Array<{ error?: string }>) => {
      const failed = out?.find((o) => o.error);
      if (err || failed) reject(err ?? new Error(failed!.error));
      else resolve();
    }),
  );
  const info = await docker.getImage(ref).inspect();
  return info.Id;
}

function splitRef(ref: string): [string, string] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}

/**
 * The file list of `docker export` for a container made from the image (created, never
 * started), the reference truth for the aggregated tree. The container is always removed.
 * The list includes the engine's init layer; see withoutEngineArtifacts().
 */
export async function dockerExportFileList(imageRef: string): Promise<ExportEntry[]> {
  const docker = await requireEngine();
  // A Cmd is needed for images with neither CMD nor ENTRYPOINT (e.g. FROM scratch + COPY);
  // it never runs.
  const container = await docker.createContainer({
    Image: imageRef,
    Cmd: ['/stagescope-never-runs'],
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    const stream = (await container.export()) as NodeJS.ReadableStream;
    return await readTarFileList(stream);
  } finally {
    await container.remove({ force: true, v: true });
  }
}

/**
 * Paths the engine's init layer adds to every container (mount points, resolver files,
 * /.dockerenv) and the directories holding them, whose metadata it may touch. Their children
 * that come from the image are still compared. Apply to both sides of a fidelity check.
 */
export const ENGINE_ARTIFACT_PATHS: ReadonlySet<string> = new Set([
  '/.dockerenv',
  '/dev',
  '/dev/console',
  '/dev/pts',
  '/dev/shm',
  '/etc',
  '/etc/hostname',
  '/etc/hosts',
  '/etc/mtab',
  '/etc/resolv.conf',
  '/proc',
  '/sys',
]);

export function withoutEngineArtifacts<T extends { path: string }>(entries: readonly T[]): T[] {
  return entries.filter((e) => !ENGINE_ARTIFACT_PATHS.has(e.path));
}
