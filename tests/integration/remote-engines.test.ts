// Remote engines for real: an OpenSSH server on loopback (a ~/.ssh/config-style alias, the far
// side running `docker system dial-stdio` against the engine, as the docker CLI does) and a
// second dockerd with --tlsverify and generated certificates. Build, analyze, preview and
// extract go over ssh; DOCKER_CONTEXT reaches both; every failure is one sentence (TLS ones
// within 5 s).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../electron/core/docker/connection.ts';
import { contextDigest } from '../../electron/core/docker/endpoint.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { openProject } from '../../electron/core/project/session.ts';
import { readImageSource } from '../../electron/core/source/index.ts';
import { StageScopeError } from '../../shared/errors.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { requireEngine } from '../support/engine.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { startTlsDockerd, type TlsDockerd } from '../support/tls-dockerd.ts';

const run = promisify(execFile);
let sshd: TestSshd;
let tlsd: TlsDockerd;
let project: string;
let sshEnv: Record<string, string | undefined>;

const DOCKERFILE = `FROM ${BASE_IMAGES.busybox} AS build
RUN echo "built over ssh" > /out.txt
FROM ${BASE_IMAGES.busybox}
COPY --from=build /out.txt /app/out.txt
`;

async function failure(p: Promise<unknown>, withinMs: number): Promise<StageScopeError> {
  const started = Date.now();
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(Date.now() - started).toBeLessThan(withinMs);
  expect(err).toBeInstanceOf(StageScopeError);
  const message = (err as StageScopeError).message;
  expect(message.endsWith('.')).toBe(true);
  expect(message.split(/(?<=\.) /).length, message).toBe(1);
  return err as StageScopeError;
}

/** A DOCKER_CONFIG folder with one context, as `docker context create` writes it. */
function contextConfig(name: string, host: string, tlsFrom?: string): string {
  const dir = join(project, `docker-config-${name}`);
  const digest = contextDigest(name);
  mkdirSync(join(dir, 'contexts', 'meta', digest), { recursive: true });
  writeFileSync(
    join(dir, 'contexts', 'meta', digest, 'meta.json'),
    JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }),
  );
  if (tlsFrom) {
    const tls = join(dir, 'contexts', 'tls', digest, 'docker');
    mkdirSync(tls, { recursive: true });
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) copyFileSync(join(tlsFrom, f), join(tls, f));
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'default' }));
  return dir;
}

beforeAll(async () => {
  await requireEngine();
  project = await makeTempDir('stagescope-remote-');
  writeFileSync(join(project, 'Dockerfile'), DOCKERFILE);
  [sshd, tlsd] = await Promise.all([startSshd(), startTlsDockerd(join(project, 'tlsd'))]);
  sshEnv = {
    DOCKER_HOST: `ssh://${sshd.alias}`,
    STAGESCOPE_SSH_COMMAND: `ssh -F ${sshd.clientConfig}`,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
  };
});

afterAll(async () => {
  await Promise.all([sshd?.stop(), tlsd?.stop()]);
  const docker = await requireEngine();
  const ours = await docker.listImages({
    filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${join(project, 'Dockerfile')}`] },
  });
  for (const img of ours)
    await docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
  rmSync(join(project, 'tlsd'), { recursive: true, force: true });
  await removeTempDirs();
}, 60_000);

describe('ssh:// engine', () => {
  it('DOCKER_HOST=ssh://alias (an ssh config Host alias) connects where it used to fail', async () => {
    const conn = await connectEngine({ env: sshEnv });
    expect(conn.host).toBe('ssh://myengine');
    expect(Number(conn.info.apiVersion.split('.')[1])).toBeGreaterThanOrEqual(41);
  });

  it('builds, analyzes, previews and extracts over ssh', async () => {
    const session = await openProject(project, { connect: () => connectEngine({ env: sshEnv }) });
    const report = await session.analyze({ dockerfile: 'Dockerfile' } as never);
    expect(report.stages).toHaveLength(2);
    const preview = await session.preview({ stage: 1, path: '/app/out.txt' });
    expect(preview.text).toBe('built over ssh\n');
    const dest = join(project, 'extracted.txt');
    await session.extract({ stage: 1, path: '/app/out.txt', dest });
    expect(readFileSync(dest, 'utf8')).toBe('built over ssh\n');
  });

  it('the stagescope command analyzes over ssh (the reported "ssh:myengine:22myengine is invalid" case)', async () => {
    const { stdout } = await run('node', ['bin/stagescope.js', 'analyze', project, '--json'], {
      env: { ...process.env, ...sshEnv },
      maxBuffer: 64 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as { stages: unknown[] };
    expect(report.stages).toHaveLength(2);
  });

  it('DOCKER_CONTEXT pointing at the ssh alias', async () => {
    const env = {
      ...sshEnv,
      DOCKER_HOST: undefined,
      DOCKER_CONTEXT: 'remote-ssh',
      DOCKER_CONFIG: contextConfig('remote-ssh', 'ssh://myengine'),
    };
    const image = await readImageSource(BASE_IMAGES.busybox, { engine: { env } });
    expect(image.label).toBe(`${BASE_IMAGES.busybox} on ssh://myengine`);
  });

  it("a key the server refuses and an unknown host are one sentence each, with ssh's reason", async () => {
    const refused = await failure(connectEngine({ env: { ...sshEnv, DOCKER_HOST: `ssh://${sshd.strangerAlias}` } }), 30_000);
    expect(refused.message).toMatch(
      /^Cannot reach the Docker Engine at ssh:\/\/stranger: ssh to stranger failed: .*Permission denied \(publickey\)\.$/,
    );
    const unknown = await failure(connectEngine({ env: { ...sshEnv, DOCKER_HOST: 'ssh://no-such-alias.invalid' } }), 30_000);
    expect(unknown.message).toMatch(/ssh to no-such-alias\.invalid failed: .*Could not resolve hostname/);
  });
});

describe('tcp:// engine with TLS', () => {
  const tlsEnv = (certPath: string) => ({ DOCKER_HOST: tlsd.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath });

  it('connects with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH and reads an image from it', async () => {
    const conn = await connectEngine({ env: tlsEnv(tlsd.certs.good) });
    expect(conn.host).toBe(tlsd.host);
    const image = await readImageSource(BASE_IMAGES.busybox, { engine: { env: tlsEnv(tlsd.certs.good) } });
    expect(image.images[0]!.layers.length).toBeGreaterThan(0);
  });

  it('DOCKER_CONTEXT pointing at the TLS engine (certificates from the context store)', async () => {
    const env = { DOCKER_CONTEXT: 'remote-tls', DOCKER_CONFIG: contextConfig('remote-tls', tlsd.host, tlsd.certs.good) };
    expect((await connectEngine({ env })).host).toBe(tlsd.host);
  });

  it('wrong CA, missing client certificate and an expired one: one sentence each within 5 s', async () => {
    expect((await failure(connectEngine({ env: tlsEnv(tlsd.certs.wrongCa) }), 5000)).message).toMatch(
      /TLS certificate is not signed by the CA StageScope was given/,
    );
    expect((await failure(connectEngine({ env: tlsEnv(tlsd.certs.noClientCert) }), 5000)).message).toMatch(
      /requires a client certificate and none was sent/,
    );
    expect((await failure(connectEngine({ env: tlsEnv(tlsd.certs.expired) }), 5000)).message).toMatch(
      /rejected the client certificate because it has expired/,
    );
  });
});
