// The manifest media types StageScope reads (OCI image spec and Docker's v2 schema 2).
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_SCHEMA1 = [
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
];

/** What a registry is asked for, most wanted first. */
export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');

export function isIndexType(mediaType: string | undefined, doc: { manifests?: unknown }): boolean {
  if (mediaType === OCI_INDEX || mediaType === DOCKER_LIST) return true;
  return !mediaType && Array.isArray(doc.manifests);
}
