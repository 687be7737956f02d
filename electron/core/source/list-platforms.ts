// The platforms a reference offers, for the UI's platform picker: an index's entries
// (attestations left out), or nothing when the reference names one image.
import type { BlobStore } from './blob-image.ts';
import { isIndexType } from './media-types.ts';
import { OciLayoutStore } from './oci-layout.ts';
import { platformsOf } from './platform.ts';
import { parseSourceRef } from './ref.ts';
import { registryStoreFor } from './registry/store.ts';
import type { Descriptor, OpenSourceOptions } from './types.ts';

export async function listPlatforms(ref: string, options: OpenSourceOptions = {}): Promise<string[]> {
  const parsed = parseSourceRef(ref, options.defaultKind);
  let store: BlobStore;
  if (parsed.kind === 'oci-dir') store = new OciLayoutStore(parsed.path, parsed.tag);
  else if (parsed.kind === 'registry') {
    store = registryStoreFor(parsed, options);
  } else return [];
  try {
    const root = await store.root();
    const doc = JSON.parse(root.bytes.toString('utf8')) as { manifests?: Descriptor[] };
    return isIndexType(root.mediaType, doc) ? platformsOf(doc.manifests ?? []) : [];
  } finally {
    await store.close?.();
  }
}
