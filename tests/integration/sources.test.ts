// Image sources against real servers on loopback: Debian's docker-registry (anonymous,
// htpasswd, token + TLS with a generated CA), OCI layouts written by skopeo and umoci, and a
// proxy that cuts a blob download midway. Every failure is one sentence within 5 s; the same
// image read from the engine, a docker save archive, OCI layouts and the registry gives the
// same layers and the same tree.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayerCache } from '../../electron/core/image/cache/index.ts';
import { buildTree } from '../../electron/core/image/apply-layer.ts';
import type { ArchiveContents } from '../../electron/core/image/types.ts';
import { readImageSource, type OpenSourceOptions } from '../../electron/core/source/index.ts';
import { requireBaseImages } from '../support/engine.ts';
import { startCutProxy } from '../support/cut-proxy.ts';
import { skopeoPush, startRegistry, type TestRegistry } from '../support/registry.ts';
import { buildSourceImage, makeTwoPlatformLayout, removeSourceImage, sh, SOURCE_IMAGE } from '../support/source-images.ts';
import { failsWithin5s } from '../support/sentences.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';

let dir: string;
let saved: string;
let engineId: string;
let plain: TestRegistry;
let basic: TestRegistry;
let tokenTls: TestRegistry;
const registries: TestRegistry[] = [];

/** Credentials as `docker login` leaves them, in a DOCKER_CONFIG folder of the test's own. */
function dockerConfig(config: object): NonNullable<OpenSourceOptions['env']> {
  const home = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  mkdirSync(home);
  writeFileSync(join(home, 'config.json'), JSON.stringify(config));
  return { DOCKER_CONFIG: home, PATH: process.env.PATH };
}

function login(reg: TestRegistry, password: string): NonNullable<OpenSourceOptions['env']> {
  return dockerConfig({ auths: { [reg.host]: { auth: Buffer.from(`alice:${password}`).toString('base64') } } });
}

function diffIds(c: ArchiveContents): string[] {
  expect(c.images).toHaveLength(1);
  return c.images[0]!.layers;
}

/** The aggregated tree as comparable lines (path, type, size, mode, owner, link, hash). */
function treeLines(c: ArchiveContents): string[] {
  const layers = c.images[0]!.layers.map((d) => c.layers.get(d)!);
  const { tree } = buildTree(layers);
  return [...tree.walk()].map((m) => `${m.path} ${m.type} ${m.size} ${m.mode} ${m.uid}:${m.gid} ${m.linkTarget ?? ''} ${m.hash ?? ''}`);
}

beforeAll(async () => {
  await requireBaseImages();
  dir = await makeTempDir('stagescope-sources-');
  ({ id: engineId, saved } = await buildSourceImage(dir));
  await sh('skopeo', ['copy', '-q', `docker-archive:${saved}`, `oci:${join(dir, 'layout')}:one`]);
  await sh('skopeo', ['copy', '-q', `docker-archive:${saved}`, `oci-archive:${join(dir, 'layout.tar')}:one`]);
  makeTwoPlatformLayout(join(dir, 'layout'), join(dir, 'multi'), 'multi');
  [plain, basic, tokenTls] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'htpasswd' }),
    startRegistry({ auth: 'token', tls: true }),
  ]);
  registries.push(plain, basic, tokenTls);
  await Promise.all([
    skopeoPush(plain, `docker-archive:${saved}`, 'test/one:1'),
    skopeoPush(plain, `oci:${join(dir, 'multi')}:multi`, 'test/multi:1', { args: ['--all'] }),
    skopeoPush(plain, `docker-archive:${saved}`, 'test/zstd:1', { args: ['--format', 'oci', '--dest-compress-format', 'zstd'] }),
    skopeoPush(basic, `docker-archive:${saved}`, 'test/one:1', { creds: 'alice:s3cret' }),
    skopeoPush(tokenTls, `docker-archive:${saved}`, 'test/one:1', { creds: 'alice:s3cret' }),
  ]);
});

afterAll(async () => {
  await Promise.all(registries.map((r) => r.stop()));
  await removeSourceImage();
  await removeTempDirs();
});

describe('the same image from every source', () => {
  it('engine, docker save, OCI layout, OCI archive and registry give the same layers and tree', async () => {
    const reads = {
      engine: await readImageSource(SOURCE_IMAGE),
      archive: await readImageSource(saved),
      layout: await readImageSource(`oci:${join(dir, 'layout')}:one`),
      ociArchive: await readImageSource(`oci-archive:${join(dir, 'layout.tar')}`),
      registry: await readImageSource(`registry:${plain.host}/test/one:1`),
    };
    expect(reads.engine.images[0]!.id).toBe(engineId);
    const expected = diffIds(reads.engine);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const tree = treeLines(reads.engine);
    expect(tree.some((l) => l.startsWith('/random.bin file 1500000 '))).toBe(true);
    expect(tree.some((l) => l.startsWith('/app/link symlink 0 ') && l.includes('/random.bin'))).toBe(true);
    expect(tree.some((l) => l.startsWith('/app/hello.txt'))).toBe(false);
    for (const [name, c] of Object.entries(reads)) {
      expect(diffIds(c), name).toEqual(expected);
      expect(treeLines(c), name).toEqual(tree);
    }
    // skopeo keeps the config byte for byte into the registry: the image id is the engine's.
    expect(reads.registry.images[0]!.id).toBe(engineId);
  });

  it('reads an OCI layout written by umoci', async () => {
    const layout = join(dir, 'umoci');
    const bundle = join(dir, 'umoci-bundle');
    await sh('umoci', ['init', '--layout', layout]);
    await sh('umoci', ['new', '--image', `${layout}:base`]);
    // unpack + repack: Debian's umoci 0.4 `insert` writes a layer tar without its final padding.
    await sh('umoci', ['unpack', '--image', `${layout}:base`, bundle]);
    mkdirSync(join(bundle, 'rootfs', 'etc'), { recursive: true });
    writeFileSync(join(bundle, 'rootfs', 'etc', 'motd'), 'made by umoci\n');
    await sh('umoci', ['repack', '--image', `${layout}:base`, bundle]);
    const c = await readImageSource(`oci:${layout}:base`);
    expect(c.images[0]!.repoTags).toEqual(['base']);
    const lines = treeLines(c);
    expect(lines.find((l) => l.startsWith('/etc/motd '))).toMatch(/^\/etc\/motd file 14 /);
  });
});

describe('registry', () => {
  it('reads anonymously from a plain-HTTP loopback registry', async () => {
    const c = await readImageSource(`registry:${plain.host}/test/one:1`);
    expect(c.images[0]!.repoTags).toEqual([`${plain.host}/test/one:1`]);
    expect(c.label).toBe(`registry:${plain.host}/test/one:1`);
  });

  it('reads by digest and with --source registry for a plain reference', async () => {
    const digest = (
      await sh('skopeo', ['inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${plain.host}/test/one:1`])
    ).trim();
    const byDigest = await readImageSource(`registry:${plain.host}/test/one@${digest}`);
    expect(byDigest.images[0]!.id).toBe(engineId);
    const plainRef = await readImageSource(`${plain.host}/test/one:1`, { defaultKind: 'registry' });
    expect(plainRef.images[0]!.id).toBe(engineId);
  });

  it('basic auth (htpasswd): logs in from config.json; no login and a wrong password are one sentence each', async () => {
    const c = await readImageSource(`registry:${basic.host}/test/one:1`, { env: login(basic, 's3cret') });
    expect(c.images[0]!.id).toBe(engineId);
    await failsWithin5s(readImageSource(`registry:${basic.host}/test/one:1`, { env: dockerConfig({}) }), /needs a login to read test\/one/);
    await failsWithin5s(
      readImageSource(`registry:${basic.host}/test/one:1`, { env: login(basic, 'wrong') }),
      /rejected the username and password of alice/,
    );
  });

  it('token auth over TLS with a generated CA, through a docker-credential helper', async () => {
    const bin = join(dir, 'helper-bin');
    mkdirSync(bin);
    const helper = join(bin, 'docker-credential-sstest');
    writeFileSync(
      helper,
      `#!/bin/sh\nread host\n[ "$host" = "${tokenTls.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\necho '{"ServerURL":"'$host'","Username":"alice","Secret":"s3cret"}'\n`,
    );
    chmodSync(helper, 0o755);
    const env = { ...dockerConfig({ credsStore: 'sstest' }), PATH: `${bin}:${process.env.PATH}` };
    const c = await readImageSource(`registry:${tokenTls.host}/test/one:1`, { env, caCertFile: tokenTls.caFile! });
    expect(c.images[0]!.id).toBe(engineId);
    await failsWithin5s(
      readImageSource(`registry:${tokenTls.host}/test/one:1`, { env }),
      /presented a certificate StageScope does not trust/,
    );
    await failsWithin5s(
      readImageSource(`registry:${tokenTls.host}/test/one:1`, { env: login(tokenTls, 'wrong'), caCertFile: tokenTls.caFile! }),
      /rejected the username and password of alice/,
    );
    await failsWithin5s(
      readImageSource(`registry:${tokenTls.host}/test/one:1`, { env: dockerConfig({}), caCertFile: tokenTls.caFile! }),
      /needs a login/,
    );
  });

  it('an index with two platforms: the host platform by default, --platform picks, a missing one lists what exists', async () => {
    const ref = `registry:${plain.host}/test/multi:1`;
    const host = await readImageSource(ref);
    expect(host.images[0]!.config.architecture).toBe(process.arch === 'arm64' ? 'arm64' : 'amd64');
    const arm = await readImageSource(ref, { platform: 'linux/arm64' });
    expect(arm.images[0]!.config.architecture).toBe('arm64');
    expect(arm.images[0]!.id).not.toBe(host.images[0]!.id);
    expect(diffIds(arm)).toEqual(diffIds(host));
    await failsWithin5s(
      readImageSource(ref, { platform: 'linux/s390x' }),
      /has no image for linux\/s390x; it has linux\/amd64, linux\/arm64\/v8\./,
    );
    // The same index from the OCI layout folder.
    const layout = await readImageSource(`oci:${join(dir, 'multi')}:multi`, { platform: 'linux/arm64/v8' });
    expect(layout.images[0]!.id).toBe(arm.images[0]!.id);
  });

  it('reads zstd layers (same diffIds as the gzip push)', async () => {
    const raw = JSON.parse(await sh('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${plain.host}/test/zstd:1`])) as {
      layers: { mediaType: string }[];
    };
    expect(raw.layers.every((l) => l.mediaType === 'application/vnd.oci.image.layer.v1.tar+zstd')).toBe(true);
    const z = await readImageSource(`registry:${plain.host}/test/zstd:1`);
    const g = await readImageSource(`registry:${plain.host}/test/one:1`);
    expect(diffIds(z)).toEqual(diffIds(g));
    expect(treeLines(z)).toEqual(treeLines(g));
  });

  it('a blob cut midway is resumed with Range; cut again and again it fails with one sentence', async () => {
    const [h, p] = plain.host.split(':');
    const once = await startCutProxy({ host: h!, port: Number(p) }, 700_000, 1);
    try {
      const c = await readImageSource(`registry:${once.host}/test/one:1`);
      expect(once.cuts()).toBe(1);
      expect(c.images[0]!.id).toBe(engineId);
    } finally {
      await once.stop();
    }
    const always = await startCutProxy({ host: h!, port: Number(p) }, 300_000, 1000);
    try {
      await failsWithin5s(readImageSource(`registry:${always.host}/test/one:1`), /failed: the connection broke 4 times/);
    } finally {
      await always.stop();
    }
  });

  it('the diffId layer cache: layers seen before are not downloaded again', async () => {
    const cache = await LayerCache.open({ dir: join(dir, 'cache') });
    const first = await readImageSource(`registry:${plain.host}/test/one:1`, { cache });
    const [h, p] = plain.host.split(':');
    // Every connection through this proxy dies after 100 kB: only manifests and configs fit.
    const tight = await startCutProxy({ host: h!, port: Number(p) }, 100_000, 1000);
    try {
      const again = await readImageSource(`registry:${tight.host}/test/one:1`, {
        cache: await LayerCache.open({ dir: join(dir, 'cache') }),
      });
      expect(treeLines(again)).toEqual(treeLines(first));
      expect(tight.cuts()).toBe(0);
    } finally {
      await tight.stop();
    }
  });

  it('a missing repository or tag is one sentence within 5 s', async () => {
    await failsWithin5s(
      readImageSource(`registry:${plain.host}/test/nope:1`),
      /has no image .*test\/nope:1 \((no such repository|manifest unknown)\)\./,
    );
    await failsWithin5s(readImageSource(`registry:${plain.host}/test/one:nope`), /has no image .*test\/one:nope \(manifest unknown\)/);
  });
});

describe('the stagescope command', () => {
  it('inspect --platform reads from a registry index; a missing tag is exit 1 with one sentence', async () => {
    const { execFile } = await import('node:child_process');
    const cli = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile('node', ['bin/stagescope.js', 'inspect', ...args], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
    const ok = await cli([`registry:${plain.host}/test/multi:1`, '--platform', 'linux/arm64', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as { source: string; images: { fileCount: number }[] };
    expect(report.images[0]!.fileCount).toBeGreaterThan(270);
    const missing = await cli([`registry:${plain.host}/test/one:nope`]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^stagescope: The registry .* has no image .*test\/one:nope \(manifest unknown\)\./);
  });
});

describe('OCI layout errors', () => {
  it('an unknown tag, a folder that is not a layout and a corrupt blob are one sentence each', async () => {
    await failsWithin5s(readImageSource(`oci:${join(dir, 'layout')}:nope`), /has no image tagged "nope"; it has one\./);
    await failsWithin5s(readImageSource(`oci:${dir}`), /is not an OCI image layout: it has no oci-layout file/);
    const broken = join(dir, 'broken');
    await sh('cp', ['-r', join(dir, 'layout'), broken]);
    const manifest = JSON.parse(
      await sh('sh', ['-c', `cat ${broken}/blobs/sha256/$(sed 's/.*"digest":"sha256:\\([0-9a-f]*\\)".*/\\1/' ${broken}/index.json)`]),
    ) as { layers: { digest: string }[] };
    const last = manifest.layers.at(-1)!.digest.slice(7);
    await sh('sh', ['-c', `printf 'x' | dd of=${broken}/blobs/sha256/${last} bs=1 seek=100 conv=notrunc 2>/dev/null`]);
    await failsWithin5s(readImageSource(`oci:${broken}:one`), /does not match its digest|not valid gzip/);
  });
});
