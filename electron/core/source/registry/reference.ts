// `HOST/REPO[:TAG][@DIGEST]` as the docker CLI reads it: the first component is a registry
// host when it has a '.' or ':' or is `localhost`; otherwise the image is on Docker Hub.
import { StageScopeError } from '../../../../shared/errors.ts';

export interface RegistryRef {
  host: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

export const DOCKER_HUB = 'registry-1.docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

function bad(ref: string, why: string): never {
  throw new StageScopeError(
    'usage',
    `"${ref}" is not a valid image reference: ${why}.`,
    'Write it as HOST/REPO:TAG or HOST/REPO@sha256:DIGEST.',
  );
}

export function parseRegistryRef(ref: string): RegistryRef {
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) bad(ref, 'the digest is not sha256:<64 hex digits>');
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) bad(ref, `the tag "${tag}" has characters a tag cannot have`);
  }
  const parts = rest.split('/');
  let host = DOCKER_HUB;
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) {
    host = parts.shift()!;
  }
  if (host === 'docker.io' || host === 'index.docker.io') host = DOCKER_HUB;
  if (host === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p)))
    bad(ref, 'the repository must be lowercase letters, digits and separators');
  if (!tag && !digest) tag = 'latest';
  return { host, repository: parts.join('/'), tag, digest };
}
