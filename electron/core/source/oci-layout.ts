// An OCI image layout folder (`oci:DIR[:tag]`, as skopeo, umoci and `buildx --output
// type=oci,tar=false` write it): index.json, oci-layout, blobs/sha256/*. Blobs are read from
// disk as they are needed; nothing is copied.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StageScopeError } from '../../../shared/errors.ts';
import type { BlobStore, RootDocument } from './blob-image.ts';
import { checkDigestFormat, verifySmall, verifyingStream } from './digest.ts';
import { OCI_INDEX } from './media-types.ts';
import type { Descriptor } from './types.ts';

const MAX_JSON = 4 * 1024 * 1024;
const REF_NAME = 'org.opencontainers.image.ref.name';

function layoutError(dir: string, why: string): StageScopeError {
  return new StageScopeError(
    'not-found',
    `${dir} is not an OCI image layout: ${why}.`,
    'Point oci: at a folder written by skopeo, umoci or buildx --output type=oci,tar=false.',
  );
}

export class OciLayoutStore implements BlobStore {
  constructor(
    private readonly dir: string,
    private readonly tag: string | null,
  ) {}

  async root(): Promise<RootDocument> {
    const layout = await readFile(join(this.dir, 'oci-layout'), 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw layoutError(this.dir, err.code === 'ENOENT' ? 'it has no oci-layout file' : `oci-layout cannot be read (${err.code})`);
    });
    let version: unknown;
    try {
      version = (JSON.parse(layout) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
    } catch {
      throw layoutError(this.dir, 'its oci-layout file is not JSON');
    }
    if (typeof version !== 'string' || !version.startsWith('1.'))
      throw layoutError(this.dir, `its layout version is ${String(version)}, not 1.x`);
    const bytes = await readFile(join(this.dir, 'index.json')).catch(() => {
      throw layoutError(this.dir, 'it has no readable index.json');
    });
    let index: { manifests?: Descriptor[] };
    try {
      index = JSON.parse(bytes.toString('utf8')) as typeof index;
    } catch {
      throw layoutError(this.dir, 'its index.json is not JSON');
    }
    const entries = Array.isArray(index.manifests) ? index.manifests : [];
    const tagged = (d: Descriptor): string | undefined => d.annotations?.[REF_NAME];
    const tags = [...new Set(entries.map(tagged).filter((t): t is string => !!t))];
    let chosen: Descriptor[] = entries;
    if (this.tag) {
      chosen = entries.filter((d) => tagged(d) === this.tag);
      if (chosen.length === 0) {
        throw new StageScopeError(
          'not-found',
          `The OCI layout ${this.dir} has no image tagged "${this.tag}"${tags.length ? `; it has ${tags.join(', ')}` : ''}.`,
          'Name one of its tags as oci:DIR:TAG.',
        );
      }
    } else if (tags.length > 1) {
      throw new StageScopeError(
        'usage',
        `The OCI layout ${this.dir} holds several images (${tags.join(', ')}).`,
        'Name one as oci:DIR:TAG.',
      );
    }
    const where = `the OCI layout ${this.dir}${this.tag ? `:${this.tag}` : ''}`;
    const repoTags = this.tag ? [this.tag] : tags;
    if (chosen.length === 1) {
      const d = chosen[0]!;
      return { bytes: await this.readSmall(d, `the manifest of ${where}`), mediaType: d.mediaType, where, repoTags };
    }
    // Several entries under one name (or none named): index.json itself is the index to choose from.
    return { bytes: Buffer.from(JSON.stringify({ ...index, manifests: chosen })), mediaType: OCI_INDEX, where, repoTags };
  }

  private blobPath(d: Descriptor, what: string): string {
    return join(this.dir, 'blobs', 'sha256', checkDigestFormat(d.digest, what));
  }

  async readSmall(d: Descriptor, what: string): Promise<Buffer> {
    const path = this.blobPath(d, what);
    const s = await stat(path).catch(() => null);
    if (!s) throw layoutError(this.dir, `${what} (${d.digest.slice(0, 19)}…) is missing from blobs/`);
    if (s.size > MAX_JSON) throw new StageScopeError('archive', `${what} is ${s.size} bytes, more than the JSON size limit.`, null);
    return verifySmall(await readFile(path), d.digest, what);
  }

  async openBlob(d: Descriptor, what: string) {
    const path = this.blobPath(d, what);
    if (!(await stat(path).catch(() => null))) throw layoutError(this.dir, `${what} (${d.digest.slice(0, 19)}…) is missing from blobs/`);
    return verifyingStream(createReadStream(path, { highWaterMark: 1024 * 1024 }), d.digest, what);
  }
}
