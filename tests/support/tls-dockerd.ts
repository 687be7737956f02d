// A private dockerd (see dockerd.ts) listening on tcp://127.0.0.1:PORT with --tlsverify and
// certificates made for the test (CA, server, client, an expired client, and a stranger CA).
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { BASE_IMAGES } from './base-images.ts';
import { makeCa, makeCert } from './certs.ts';
import { Dockerd } from './dockerd.ts';
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
  const certs = {
    good: certDir(root, 'good', ca.cert, client),
    wrongCa: certDir(root, 'wrong-ca', stranger.cert, client),
    noClientCert: certDir(root, 'no-client-cert', ca.cert),
    expired: certDir(root, 'expired', ca.cert, expired),
  };
  const docker = new Dockerode({
    protocol: 'https',
    host: '127.0.0.1',
    port,
    ca: readFileSync(join(certs.good, 'ca.pem')),
    cert: readFileSync(join(certs.good, 'cert.pem')),
    key: readFileSync(join(certs.good, 'key.pem')),
  });
  const daemon = new Dockerd({
    root,
    host,
    args: ['--tlsverify', `--tlscacert=${ca.cert}`, `--tlscert=${server.cert}`, `--tlskey=${server.key}`],
    docker,
  });
  await daemon.start();
  // The busybox base image, copied from the shared engine (no registry is reachable).
  await daemon.copyImage(BASE_IMAGES.busybox);
  return { host, certs, root, stop: () => daemon.stop() };
}
