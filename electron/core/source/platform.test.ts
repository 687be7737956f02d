import { describe, expect, it } from 'vitest';
import { choosePlatform, hostPlatform, parsePlatform } from './platform.ts';
import type { Descriptor } from './types.ts';

const d = (arch: string, variant?: string, extra: Partial<Descriptor> = {}): Descriptor => ({
  digest: `sha256:${arch}${variant ?? ''}`,
  platform: { os: 'linux', architecture: arch, ...(variant ? { variant } : {}) },
  ...extra,
});

describe('platforms', () => {
  const index = [
    d('amd64'),
    d('arm64', 'v8'),
    d('arm', 'v7'),
    d('unknown', undefined, { platform: { os: 'unknown', architecture: 'unknown' } }),
  ];

  it('maps node arches to image platforms', () => {
    expect(hostPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(hostPlatform('arm64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
  });

  it('picks by request, arm64 without a variant matches v8', () => {
    expect(choosePlatform(index, 'linux/arm64', 'x').digest).toBe('sha256:arm64v8');
    expect(choosePlatform(index, 'linux/arm/v7', 'x').digest).toBe('sha256:armv7');
    expect(choosePlatform(index, undefined, 'x').digest).toBe(process.arch === 'arm64' ? 'sha256:arm64v8' : 'sha256:amd64');
  });

  it('says what exists when the platform does not, attestations left out', () => {
    expect(() => choosePlatform(index, 'linux/s390x', 'The image')).toThrow(
      'The image has no image for linux/s390x; it has linux/amd64, linux/arm64/v8, linux/arm/v7.',
    );
    expect(() => parsePlatform('amd64')).toThrow(/os\/arch/);
  });
});
