// Test certificates made with the openssl CLI: a CA, and server / client certificates it
// signs (an expired one on request), for the TLS registry and the TLS dockerd tests.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CertFiles {
  cert: string;
  key: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeCa(dir: string, name = 'ca'): CertFiles {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=StageScope test ${name}`,
    ],
    dir,
  );
  return { cert, key };
}

export interface LeafOptions {
  name: string;
  /** Subject alternative names, e.g. IP:127.0.0.1 (a server certificate). */
  san?: string[];
  client?: boolean;
  expired?: boolean;
  /** RSA key instead of EC (a JWT signing key for RS256). */
  rsa?: boolean;
}

export function makeCert(dir: string, ca: CertFiles, o: LeafOptions): CertFiles {
  const cert = join(dir, `${o.name}.pem`);
  const key = join(dir, `${o.name}-key.pem`);
  const csr = join(dir, `${o.name}.csr`);
  const ext = join(dir, `${o.name}.ext`);
  const keyArgs = o.rsa ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  openssl(['req', ...keyArgs, '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${o.name}`], dir);
  const lines = [`extendedKeyUsage=${o.client ? 'clientAuth' : 'serverAuth'}`];
  if (o.san?.length) lines.push(`subjectAltName=${o.san.join(',')}`);
  writeFileSync(ext, lines.join('\n') + '\n');
  // -days -1: notAfter lies a day before notBefore, so the certificate is already expired.
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-out',
      cert,
      '-days',
      o.expired ? '-1' : '2',
      '-extfile',
      ext,
    ],
    dir,
  );
  return { cert, key };
}

/** A self-signed RSA certificate (the registry's token-signing root). */
export function makeSelfSignedRsa(dir: string, name: string): CertFiles {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`], dir);
  return { cert, key };
}
