// A registry repository as a BlobStore: the reference's manifest (index or image), small JSON
// by digest, and layer blobs streamed (resumable, digest-checked) into the layer parser.
import { homedir } from 'node:os';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { StageScopeError } from '../../../../shared/errors.ts';
import type { BlobStore, RootDocument } from '../blob-image.ts';
import { checkDigestFormat, verifySmall, verifyingStream } from '../digest.ts';
import { DOCKER_LIST, DOCKER_MANIFEST, MANIFEST_ACCEPT, OCI_INDEX, OCI_MANIFEST } from '../media-types.ts';
import type { Descriptor, OpenSourceOptions } from '../types.ts';
import { resumableBlob } from './blob-stream.ts';
import { RegistryClient, type ClientOptions } from './client.ts';
import type { RegistryRef } from './reference.ts';

const MAX_JSON = 4 * 1024 * 1024;
const MANIFEST_TYPES = new Set([OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST]);

async function readLimited(res: Dispatcher.ResponseData, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON) {
      res.body.destroy();
      throw new StageScopeError('archive', `${what} is more than ${MAX_JSON} bytes, more than the JSON size limit.`, null);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The registry's own error text (`{"errors":[{"code","message"}]}`), if any. */
async function registryReason(res: Dispatcher.ResponseData): Promise<string> {
  const text = await res.body.text().catch(() => '');
  try {
    const e = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors?.[0];
    if (e) return `${e.code ?? ''}${e.message ? `: ${e.message}` : ''}`;
  } catch {
    /* not JSON */
  }
  return `HTTP ${res.statusCode}`;
}

export class RegistryStore implements BlobStore {
  private readonly client: RegistryClient;
  private readonly name: string;

  constructor(
    private readonly ref: RegistryRef,
    opts: ClientOptions,
  ) {
    this.client = new RegistryClient(ref.host, ref.repository, opts);
    this.name = `${ref.host}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
  }

  private async getManifest(reference: string, what: string): Promise<{ bytes: Buffer; mediaType?: string }> {
    const res = await this.client.get(`/v2/${this.ref.repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
    if (res.statusCode === 404) {
      const reason = await registryReason(res);
      throw new StageScopeError(
        'not-found',
        `The registry ${this.ref.host} has no ${what} (${reason.toLowerCase().startsWith('name_unknown') ? 'no such repository' : 'manifest unknown'}).`,
        'Check the repository, tag and digest.',
        { ref: this.name },
      );
    }
    if (res.statusCode === 403) {
      await res.body.dump();
      throw new StageScopeError(
        'engine',
        `The registry ${this.ref.host} denies access to ${this.ref.repository} for this login.`,
        'Check that the account may pull this repository.',
      );
    }
    if (res.statusCode !== 200) {
      throw new StageScopeError('engine', `The registry ${this.ref.host} could not serve ${what}: ${await registryReason(res)}.`, null);
    }
    const type = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    return { bytes: await readLimited(res, what), mediaType: MANIFEST_TYPES.has(type) ? type : undefined };
  }

  async root(): Promise<RootDocument> {
    const what = `image ${this.name}`;
    const reference = this.ref.digest ?? this.ref.tag ?? 'latest';
    const { bytes, mediaType } = await this.getManifest(reference, what);
    if (this.ref.digest) verifySmall(bytes, this.ref.digest, `The manifest of ${what}`);
    const repoTags = this.ref.tag ? [`${this.ref.host}/${this.ref.repository}:${this.ref.tag}`] : [];
    return { bytes, mediaType, where: `the registry image ${this.name}`, repoTags };
  }

  close(): Promise<void> {
    return this.client.close();
  }

  async readSmall(d: Descriptor, what: string): Promise<Buffer> {
    checkDigestFormat(d.digest, what);
    if (d.mediaType && MANIFEST_TYPES.has(d.mediaType)) {
      return verifySmall((await this.getManifest(d.digest, what)).bytes, d.digest, what);
    }
    const res = await this.client.get(`/v2/${this.ref.repository}/blobs/${d.digest}`);
    if (res.statusCode !== 200) {
      throw new StageScopeError('archive', `The registry ${this.ref.host} could not serve ${what}: ${await registryReason(res)}.`, null);
    }
    return verifySmall(await readLimited(res, what), d.digest, what);
  }

  async openBlob(d: Descriptor, what: string): Promise<Readable> {
    checkDigestFormat(d.digest, what);
    const path = `/v2/${this.ref.repository}/blobs/${d.digest}`;
    const raw = resumableBlob((headers) => this.client.get(path, headers), what, this.ref.host, d.size);
    return verifyingStream(raw, d.digest, what);
  }
}

/** The store for a registry reference, with the options a source was opened with (auth, TLS). */
export function registryStoreFor(ref: RegistryRef, options: OpenSourceOptions): RegistryStore {
  return new RegistryStore(ref, {
    caCertFile: options.caCertFile,
    insecure: options.insecure,
    env: options.env ?? process.env,
    homeDir: options.homeDir ?? homedir(),
    signal: options.signal,
  });
}
