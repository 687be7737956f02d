// Fixture images for the image-source tests: one small image built on the engine (busybox +
// a 1.5 MB random layer that gzip cannot shrink, so a download can be cut midway), its
// `docker save`, OCI layouts written by skopeo, and a two-platform OCI index derived from it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BASE_IMAGES } from './base-images.ts';

const run = promisify(execFile);

export const SOURCE_IMAGE = 'stagescope-test/sources-fixture:1';

const DOCKERFILE = `FROM ${BASE_IMAGES.busybox}
RUN head -c 1500000 /dev/urandom > /random.bin && mkdir -p /app && echo hello > /app/hello.txt
RUN rm /app/hello.txt && ln -s /random.bin /app/link
`;

export async function sh(cmd: string, args: string[], input?: string): Promise<string> {
  try {
    const child = run(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
    if (input !== undefined) child.child.stdin!.end(input);
    return (await child).stdout;
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${String((err as { stderr?: string }).stderr ?? err).trim()}`, { cause: err });
  }
}

/** Builds SOURCE_IMAGE (cached by the engine) and saves it to `dir/saved.tar`. */
export async function buildSourceImage(dir: string): Promise<{ id: string; saved: string }> {
  await sh('docker', ['build', '-q', '--network', 'none', '-t', SOURCE_IMAGE, '-'], DOCKERFILE);
  const id = (await sh('docker', ['image', 'inspect', '-f', '{{.Id}}', SOURCE_IMAGE])).trim();
  const saved = join(dir, 'saved.tar');
  await sh('docker', ['save', '-o', saved, SOURCE_IMAGE]);
  return { id, saved };
}

export async function removeSourceImage(): Promise<void> {
  await sh('docker', ['rmi', SOURCE_IMAGE]).catch(() => undefined);
}

function sha(bytes: Buffer): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

function writeBlob(layout: string, bytes: Buffer): { digest: string; size: number } {
  const digest = sha(bytes);
  writeFileSync(join(layout, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/**
 * Copies a one-image OCI layout to `dest` and turns its tag into a two-platform index: the
 * original image as linux/amd64 and a copy whose config says linux/arm64/v8 (same layers, so
 * the two are told apart by config and image id only).
 */
export function makeTwoPlatformLayout(src: string, dest: string, tag: string): { amd64: string; arm64: string } {
  cpSync(src, dest, { recursive: true });
  const index = JSON.parse(readFileSync(join(dest, 'index.json'), 'utf8'));
  const entry = index.manifests[0];
  const blob = (d: string) => readFileSync(join(dest, 'blobs', 'sha256', d.slice(7)));
  const manifest = JSON.parse(blob(entry.digest).toString());
  const config = JSON.parse(blob(manifest.config.digest).toString());
  const amdConfig = writeBlob(dest, Buffer.from(JSON.stringify({ ...config, architecture: 'amd64', os: 'linux' })));
  const armConfig = writeBlob(dest, Buffer.from(JSON.stringify({ ...config, architecture: 'arm64', variant: 'v8', os: 'linux' })));
  const manifestFor = (c: { digest: string; size: number }) =>
    writeBlob(dest, Buffer.from(JSON.stringify({ ...manifest, config: { ...manifest.config, digest: c.digest, size: c.size } })));
  const amd = manifestFor(amdConfig);
  const arm = manifestFor(armConfig);
  const mediaType = entry.mediaType;
  const nested = writeBlob(
    dest,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          { mediaType, ...amd, platform: { os: 'linux', architecture: 'amd64' } },
          { mediaType, ...arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        ],
      }),
    ),
  );
  index.manifests = [{ mediaType: OCI_INDEX, ...nested, annotations: { 'org.opencontainers.image.ref.name': tag } }];
  writeFileSync(join(dest, 'index.json'), JSON.stringify(index));
  return { amd64: amdConfig.digest, arm64: armConfig.digest };
}
