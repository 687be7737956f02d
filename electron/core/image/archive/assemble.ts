// After the stream: which blob was which. manifest.json (both layouts) names each image's
// config and layer blobs; index.json is the fallback for plain OCI archives.
import { createHash } from 'node:crypto';
import type { ArchiveContents, ImageConfig, ImageRecord, LayerBlob, LayerIndex } from '../types.ts';
import { corrupt } from './errors.ts';
import type { BlobRecord } from './outer-entry.ts';
import { normalizeArchivePath } from './paths.ts';

export interface ArchiveState {
  blobs: Map<string, BlobRecord>;
  /** Outer-tar symlinks and hardlinks: path -> archive path it points to. */
  links: Map<string, string>;
  /** Where each blob's tar header starts in the outer stream (a plain archive file seeks there later). */
  offsets: Map<string, number>;
}

interface ManifestItem {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

interface ImageRef {
  configPath: string;
  repoTags: string[];
  layerPaths: string[];
  where: string;
}

export function assemble(state: ArchiveState, wantLayer?: (diffId: string) => boolean): ArchiveContents {
  const refs = state.blobs.has('manifest.json') ? fromLegacyManifest(state) : fromOciIndex(state);
  const images = new Map<string, ImageRecord>();
  const layers = new Map<string, LayerIndex>();
  const blobs = new Map<string, LayerBlob>();
  for (const ref of refs) {
    const configBytes = jsonBytes(state, ref.configPath, `the config of ${ref.where}`);
    const config = parseConfig(configBytes, ref.configPath);
    const id = 'sha256:' + createHash('sha256').update(configBytes).digest('hex');
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== ref.layerPaths.length) {
      throw corrupt(`${capital(ref.where)} lists ${ref.layerPaths.length} layers but its config has ${diffIds.length} diff_ids.`);
    }
    ref.layerPaths.forEach((layerPath, i) => {
      const diffId = diffIds[i]!;
      const found = layerBlob(state, layerPath, ref.where);
      if (found.kind === 'skipped-layer') return;
      if (found.layer.diffId !== diffId) {
        throw corrupt(`Layer ${layerPath} of ${ref.where} has content digest ${found.layer.diffId}, but its config expects ${diffId}.`);
      }
      if (!layers.has(diffId) && (!wantLayer || wantLayer(diffId))) layers.set(diffId, found.layer);
      if (!blobs.has(diffId)) {
        const member = resolvePath(state, layerPath);
        blobs.set(diffId, { member, offset: state.offsets.get(member) });
      }
    });
    const seen = images.get(id);
    if (seen) {
      for (const t of ref.repoTags) if (!seen.repoTags.includes(t)) seen.repoTags.push(t);
      continue;
    }
    images.set(id, { id, repoTags: [...ref.repoTags], config, layers: [...diffIds] });
  }
  return { images: [...images.values()], layers, blobs };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The archive member a path names, outer-tar links followed (Engine <= 24 links repeated layers). */
function resolvePath(state: ArchiveState, path: string): string {
  let p = normalizeArchivePath(path);
  for (let hops = 0; hops < 16 && state.links.has(p); hops++) p = state.links.get(p)!;
  return p;
}

function resolve(state: ArchiveState, path: string): BlobRecord | undefined {
  return state.blobs.get(resolvePath(state, path));
}

function missing(path: string, what: string): Error {
  return corrupt(`The image archive has no ${path}, which ${what} needs.`, 'The archive is incomplete: save the image again.');
}

function jsonBytes(state: ArchiveState, path: string, what: string): Buffer {
  const rec = resolve(state, path);
  if (!rec) throw missing(path, what);
  if (rec.kind === 'too-large-json') throw corrupt(`${path} (${what}) is ${rec.size} bytes, more than the JSON size limit.`);
  if (rec.kind !== 'json') throw corrupt(`${path} (${what}) is not JSON.`);
  return rec.bytes;
}

function parseJson(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw corrupt(`${path} in the image archive is not valid JSON: ${(err as Error).message}.`);
  }
}

function parseConfig(bytes: Buffer, path: string): ImageConfig {
  const c = parseJson(bytes, path) as Partial<ImageConfig> | null;
  const ids = c?.rootfs?.diff_ids;
  if (!Array.isArray(ids) || !ids.every((d) => typeof d === 'string')) {
    throw corrupt(`Image config ${path} has no rootfs.diff_ids list.`);
  }
  return c as ImageConfig;
}

function layerBlob(state: ArchiveState, path: string, where: string): { kind: 'layer'; layer: LayerIndex } | { kind: 'skipped-layer' } {
  const rec = resolve(state, path);
  if (!rec) throw missing(path, where);
  if (rec.kind === 'failed') throw rec.error;
  if (rec.kind === 'layer') return rec;
  if (rec.kind === 'skipped-layer') return { kind: 'skipped-layer' };
  throw corrupt(`${path}, a layer of ${where}, is not a tar, gzip or zstd layer.`);
}

function fromLegacyManifest(state: ArchiveState): ImageRef[] {
  const items = parseJson(jsonBytes(state, 'manifest.json', 'the archive'), 'manifest.json');
  if (!Array.isArray(items)) throw corrupt('manifest.json in the image archive is not a list of images.');
  return items.map((raw: Partial<ManifestItem>, i) => {
    if (typeof raw?.Config !== 'string' || !Array.isArray(raw.Layers)) {
      throw corrupt(`Entry ${i} of manifest.json has no Config or Layers.`);
    }
    const repoTags = Array.isArray(raw.RepoTags) ? raw.RepoTags.filter((t) => typeof t === 'string') : [];
    return { configPath: raw.Config, repoTags, layerPaths: raw.Layers, where: `image ${repoTags[0] ?? raw.Config}` };
  });
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  annotations?: Record<string, string>;
}

function blobPath(digest: string | undefined, where: string): string {
  const m = /^([a-z0-9]+):([0-9a-f]+)$/.exec(digest ?? '');
  if (!m) throw corrupt(`${where} has a descriptor without a valid digest.`);
  return `blobs/${m[1]}/${m[2]}`;
}

function fromOciIndex(state: ArchiveState): ImageRef[] {
  if (!resolve(state, 'index.json')) {
    throw corrupt(
      'The image archive has neither manifest.json nor index.json: it is not a docker save archive.',
      'Pass the output of `docker save`.',
    );
  }
  const refs: ImageRef[] = [];
  const visit = (path: string, tags: string[], depth: number): void => {
    if (depth > 4) throw corrupt(`${path} nests image indexes too deeply.`);
    const doc = parseJson(jsonBytes(state, path, 'index.json'), path) as {
      manifests?: Descriptor[];
      config?: Descriptor;
      layers?: Descriptor[];
    };
    if (Array.isArray(doc.manifests)) {
      for (const d of doc.manifests) {
        const name = d.annotations?.['io.containerd.image.name'] ?? d.annotations?.['org.opencontainers.image.ref.name'];
        // Attestations (BuildKit provenance) are manifests of no image: skip them.
        if (d.annotations?.['vnd.docker.reference.type']) continue;
        const sub = blobPath(d.digest, path);
        // A multi-platform index lists platforms the archive does not carry.
        if (!resolve(state, sub)) continue;
        visit(sub, name && name.includes(':') ? [...tags, name] : tags, depth + 1);
      }
    } else if (doc.config && Array.isArray(doc.layers)) {
      const configPath = blobPath(doc.config.digest, path);
      if (!resolve(state, configPath)) throw missing(configPath, `manifest ${path}`);
      refs.push({ configPath, repoTags: tags, layerPaths: doc.layers.map((l) => blobPath(l.digest, path)), where: `manifest ${path}` });
    }
  };
  visit('index.json', [], 0);
  return refs;
}
