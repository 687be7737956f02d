// A real registry (Debian's docker-registry, distribution 2.8) on a loopback port, with
// filesystem storage in a temp folder: anonymous, htpasswd (basic) or token auth, plain HTTP
// or TLS with a generated CA. Started and stopped by pid; never a mock.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCa, makeCert, makeSelfSignedRsa } from './certs.ts';
import { startTokenServer, type TokenServer } from './token-server.ts';

export interface RegistryOptions {
  auth?: 'htpasswd' | 'token';
  tls?: boolean;
  users?: Record<string, string>;
}

export interface TestRegistry {
  /** host:port, e.g. 127.0.0.1:40123 */
  host: string;
  /** The CA that signed the registry's certificate (tls only). */
  caFile: string | null;
  /** A folder with ca.crt, for skopeo's --dest-cert-dir. */
  certDir: string | null;
  dir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRegistry(o: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'stagescope-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const users = o.users ?? { alice: 's3cret' };
  let token: TokenServer | null = null;
  const http: string[] = [`  addr: ${host}`];
  let caFile: string | null = null;
  let certDir: string | null = null;
  if (o.tls) {
    const ca = makeCa(dir);
    const server = makeCert(dir, ca, { name: 'registry', san: ['IP:127.0.0.1'] });
    http.push('  tls:', `    certificate: ${server.cert}`, `    key: ${server.key}`);
    caFile = ca.cert;
    certDir = join(dir, 'certs.d');
    execFileSync('mkdir', ['-p', certDir]);
    execFileSync('cp', [ca.cert, join(certDir, 'ca.crt')]);
  }
  const auth: string[] = [];
  if (o.auth === 'htpasswd') {
    const file = join(dir, 'htpasswd');
    writeFileSync(
      file,
      Object.entries(users)
        .map(([u, p]) => execFileSync('htpasswd', ['-Bbn', u, p]).toString().trim())
        .join('\n') + '\n',
    );
    auth.push('auth:', '  htpasswd:', '    realm: stagescope-test', `    path: ${file}`);
  } else if (o.auth === 'token') {
    const signer = makeSelfSignedRsa(dir, 'token-signer');
    token = await startTokenServer({ signer, issuer: 'stagescope-test-issuer', service: 'stagescope-test', users });
    auth.push(
      'auth:',
      '  token:',
      `    realm: ${token.realm}`,
      '    service: stagescope-test',
      '    issuer: stagescope-test-issuer',
      `    rootcertbundle: ${signer.cert}`,
    );
  }
  const config = [
    'version: 0.1',
    'log:',
    `  level: ${process.env.STAGESCOPE_TEST_REGISTRY_LOG ? 'info' : 'error'}`,
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    ...http,
    ...auth,
  ].join('\n');
  const configFile = join(dir, 'config.yml');
  writeFileSync(configFile, config + '\n');
  const child = spawn('docker-registry', ['serve', configFile], {
    stdio: ['ignore', 'ignore', process.env.STAGESCOPE_TEST_REGISTRY_LOG ? 'inherit' : 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // Safe to call twice (a test that stops its registry, then afterAll).
  const stop = async (): Promise<void> => {
    if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
    await waitForExit(child);
    await token?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr}`);
    const up = await fetch(`${o.tls ? 'https' : 'http'}://${host}/v2/`).then(
      () => true,
      (err: Error) => o.tls && /certificate|self-signed|issuer/i.test(String((err.cause as Error)?.message ?? err.message)),
    );
    if (up) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not listen on ${host} within 15 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { host, caFile, certDir, dir, stop };
}

/**
 * `skopeo copy SRC docker://REGISTRY/DEST` with the registry's credentials / CA. Asynchronous:
 * the token service answers from this process.
 */
export async function skopeoPush(
  reg: TestRegistry,
  src: string,
  dest: string,
  extra: { creds?: string; args?: string[] } = {},
): Promise<void> {
  const args = ['copy', '-q', ...(extra.args ?? [])];
  if (reg.certDir) args.push('--dest-cert-dir', reg.certDir);
  else args.push('--dest-tls-verify=false');
  if (extra.creds) args.push('--dest-creds', extra.creds);
  args.push(src, `docker://${reg.host}/${dest}`);
  try {
    await promisify(execFile)('skopeo', args);
  } catch (err) {
    throw new Error(`skopeo ${args.join(' ')} failed: ${String((err as { stderr?: string }).stderr ?? err)}`, { cause: err });
  }
}
