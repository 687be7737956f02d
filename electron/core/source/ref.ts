// Parses a source reference. Schemes follow skopeo's transports where they overlap:
//   oci:DIR[:tag]  oci-archive:FILE[:tag]  docker-archive:FILE  registry:HOST/REPO:TAG|@DIGEST
//   docker-daemon:REF (or a plain REF: the engine)  and an existing file: a `docker save` archive.
import { statSync } from 'node:fs';
import { StageScopeError } from '../../../shared/errors.ts';
import type { SourceRef } from './types.ts';
import { parseRegistryRef } from './registry/reference.ts';

function usage(message: string): never {
  throw new StageScopeError(
    'usage',
    message,
    'Use oci:DIR[:tag], oci-archive:FILE[:tag], registry:HOST/REPO:TAG, a saved .tar or a local image name.',
  );
}

function existing(path: string): 'file' | 'dir' | null {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

/** `PATH[:tag]`: a path may itself contain ':', so the split is taken only when the path exists without it. */
function pathAndTag(rest: string, want: 'file' | 'dir'): { path: string; tag: string | null } {
  if (existing(rest) === want) return { path: rest, tag: null };
  const colon = rest.lastIndexOf(':');
  if (colon > 0 && !rest.slice(colon + 1).includes('/')) {
    return { path: rest.slice(0, colon), tag: rest.slice(colon + 1) || null };
  }
  return { path: rest, tag: null };
}

export function parseSourceRef(ref: string, defaultKind: 'engine' | 'registry' = 'engine'): SourceRef {
  const text = ref.trim();
  if (!text) usage('The image reference is empty.');
  const scheme = /^([a-z-]+):(?!\/\/)(.*)$/s.exec(text);
  switch (scheme?.[1]) {
    case 'oci':
      if (!scheme[2]) usage(`"${ref}" names no OCI layout folder.`);
      return { kind: 'oci-dir', ...pathAndTag(scheme[2], 'dir') };
    case 'oci-archive':
      if (!scheme[2]) usage(`"${ref}" names no OCI archive file.`);
      return { kind: 'oci-archive', ...pathAndTag(scheme[2], 'file') };
    case 'docker-archive':
      if (!scheme[2]) usage(`"${ref}" names no archive file.`);
      return { kind: 'archive', path: scheme[2] };
    case 'registry':
    case 'docker':
      return { kind: 'registry', ...parseRegistryRef(scheme[2]!.replace(/^\/\//, '')) };
    case 'docker-daemon':
    case 'engine':
      if (!scheme[2]) usage(`"${ref}" names no image.`);
      return { kind: 'engine', ref: scheme[2] };
    default:
      break;
  }
  if (existing(text) === 'file') return { kind: 'archive', path: text };
  if (existing(text) === 'dir') return { kind: 'oci-dir', path: text, tag: null };
  if (defaultKind === 'registry') return { kind: 'registry', ...parseRegistryRef(text) };
  return { kind: 'engine', ref: text };
}

/** The reference back as text (what a report or the UI shows). */
export function formatSourceRef(r: SourceRef): string {
  switch (r.kind) {
    case 'engine':
      return r.ref;
    case 'archive':
      return r.path;
    case 'oci-dir':
      return `oci:${r.path}${r.tag ? `:${r.tag}` : ''}`;
    case 'oci-archive':
      return `oci-archive:${r.path}${r.tag ? `:${r.tag}` : ''}`;
    case 'registry':
      return `registry:${r.host}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
  }
}
