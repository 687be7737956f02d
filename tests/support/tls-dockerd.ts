// A private dockerd listening on tcp://127.0.0.1:PORT with --tlsverify and certificates made
// for the test (CA, server, client, an expired client, and a stranger CA), beside the shared
// engine: own data-root, exec-root, pid file and managed containerd; stopped by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { BASE_IMAGES } from './base-images.ts';
import { makeCa, makeCert } from './certs.ts';
import { requireEngine } from './engine.ts';
import { freePort } from './registry.ts';

export interface TlsDockerd {
  host: string;
  /** DOCKER_CERT_PATH folders (ca.pem, cert.pem, key.pem) for each case. */
  certs: { good: string; wrongCa: string; noClientCert: string; expired: string };
  root: string;
  stop(): Promise<void>;
}

function certDir(root: string, name: string, ca: string, cert?: { cert: string; key: string }): string {
  const dir = join(root, 'certs', name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(ca, join(dir, 'ca.pem'));
  if (cert) {
    copyFileSync(cert.cert, join(dir, 'cert.pem'));
    copyFileSync(cert.key, join(dir, 'key.pem'));
  }
  return dir;
}

export async function startTlsDockerd(root: string): Promise<TlsDockerd> {
  const pki = join(root, 'pki');
  mkdirSync(pki, { recursive: true });
  const ca = makeCa(pki, 'ca');
  const stranger = makeCa(pki, 'stranger-ca');
  const server = makeCert(pki, ca, { name: 'server', san: ['IP:127.0.0.1'] });
  const client = makeCert(pki, ca, { name: 'client', client: true });
  const expired = makeCert(pki, ca, { name: 'expired-client', client: true, expired: true });
  const port = await freePort();
  const host = `tcp://127.0.0.1:${port}`;
  const log = openSync(join(root, 'dockerd.log'), 'a');
  const daemon: ChildProcess = spawn(
    'dockerd',
    [
      `--host=${host}`,
      '--tlsverify',
      `--tlscacert=${ca.cert}`,
      `--tlscert=${server.cert}`,
      `--tlskey=${server.key}`,
      `--data-root=${join(root, 'data')}`,
      `--exec-root=${join(root, 'exec')}`,
      `--pidfile=${join(root, 'docker.pid')}`,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      '--ip6tables=false',
    ],
    { stdio: ['ignore', log, log] },
  );
  const certs = {
    good: certDir(root, 'good', ca.cert, client),
    wrongCa: certDir(root, 'wrong-ca', stranger.cert, client),
    noClientCert: certDir(root, 'no-client-cert', ca.cert),
    expired: certDir(root, 'expired', ca.cert, expired),
  };
  const { readFileSync } = await import('node:fs');
  const docker = new Dockerode({
    protocol: 'https',
    host: '127.0.0.1',
    port,
    ca: readFileSync(join(certs.good, 'ca.pem')),
    cert: readFileSync(join(certs.good, 'cert.pem')),
    key: readFileSync(join(certs.good, 'key.pem')),
  });
  const stop = async (): Promise<void> => {
    if (daemon.exitCode !== null) return;
    const exited = new Promise((r) => daemon.once('exit', r));
    daemon.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (daemon.exitCode === null) daemon.kill('SIGKILL');
  };
  const until = Date.now() + 60_000;
  for (;;) {
    if (
      await docker.ping().then(
        () => true,
        () => false,
      )
    )
      break;
    if (daemon.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`the TLS dockerd did not answer; see ${join(root, 'dockerd.log')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // The busybox base image, copied from the shared engine (no registry is reachable).
  const shared = await requireEngine();
  const loading = await docker.loadImage((await shared.getImage(BASE_IMAGES.busybox).get()) as NodeJS.ReadableStream);
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(loading, (err: Error | null) => (err ? reject(err) : resolve())),
  );
  return { host, certs, root, stop };
}
