// Picking one image out of an index (manifest list): by --platform, else this machine's
// platform, with an error that lists what the index holds.
import { StageScopeError } from '../../../shared/errors.ts';
import type { Descriptor, Platform } from './types.ts';

const NODE_ARCH: Record<string, Platform> = {
  x64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
  ia32: { os: 'linux', architecture: '386' },
  ppc64: { os: 'linux', architecture: 'ppc64le' },
  s390x: { os: 'linux', architecture: 's390x' },
  riscv64: { os: 'linux', architecture: 'riscv64' },
};

/** Images are Linux images whatever the host OS (Docker Desktop runs a Linux VM). */
export function hostPlatform(arch: string = process.arch): Platform {
  return NODE_ARCH[arch] ?? { os: 'linux', architecture: arch };
}

export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/i.test(p))) {
    throw new StageScopeError(
      'usage',
      `--platform "${text}" is not of the form os/arch[/variant].`,
      'For example linux/amd64 or linux/arm64/v8.',
    );
  }
  return { os: parts[0]!, architecture: parts[1]!, ...(parts[2] ? { variant: parts[2] } : {}) };
}

export function formatPlatform(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** arm64's variant defaults to v8 (as containerd's platform matcher has it). */
function variantOf(p: Platform): string | undefined {
  return p.variant ?? (p.architecture === 'arm64' ? 'v8' : undefined);
}

function matches(want: Platform, have: Platform | undefined, strictVariant: boolean): boolean {
  if (!have || have.os !== want.os || have.architecture !== want.architecture) return false;
  const wv = variantOf(want);
  const hv = variantOf(have);
  return !strictVariant || !wv || !hv || wv === hv;
}

/** Attestation manifests (BuildKit provenance / SBOM) are listed as platform unknown/unknown. */
export function isImageEntry(d: Descriptor): boolean {
  if (d.annotations?.['vnd.docker.reference.type']) return false;
  return !(d.platform?.os === 'unknown' && d.platform?.architecture === 'unknown');
}

/** The platforms an index offers (attestations left out). */
export function platformsOf(manifests: Descriptor[]): string[] {
  return manifests.filter(isImageEntry).map((d) => formatPlatform(d.platform));
}

export function choosePlatform(manifests: Descriptor[], requested: string | undefined, where: string): Descriptor {
  const images = manifests.filter(isImageEntry);
  if (images.length === 0) throw new StageScopeError('not-found', `${where} is an index that lists no image.`, null);
  const want = requested ? parsePlatform(requested) : hostPlatform();
  const found = images.find((d) => matches(want, d.platform, true)) ?? images.find((d) => matches(want, d.platform, false));
  if (found) return found;
  // One image without a platform: nothing to choose between, unless the user asked for one.
  if (!requested && images.length === 1 && !images[0]!.platform) return images[0]!;
  throw new StageScopeError(
    'not-found',
    `${where} has no image for ${formatPlatform(want)}; it has ${platformsOf(images).join(', ')}.`,
    'Pick one with --platform os/arch[/variant].',
    { platforms: platformsOf(images) },
  );
}
