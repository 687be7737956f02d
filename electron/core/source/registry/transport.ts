// How StageScope talks to a registry host: HTTPS with the system CAs (plus --ca-cert), plain
// HTTP only for a loopback registry or with --insecure (as dockerd treats 127.0.0.0/8 as an
// insecure registry), and one sentence for every way a connection can fail.
import { existsSync, readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, interceptors, type Dispatcher } from 'undici';
import { StageScopeError } from '../../../../shared/errors.ts';

export interface TransportOptions {
  caCertFile?: string;
  insecure?: boolean;
}

const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

function trustedCas(caCertFile: string | undefined): string[] {
  const cas = [...rootCertificates];
  // Node ships Mozilla's list; the system bundle adds what the administrator installed.
  const system = SYSTEM_BUNDLES.find((p) => existsSync(p));
  if (system) cas.push(readFileSync(system, 'utf8'));
  if (caCertFile) {
    try {
      cas.push(readFileSync(caCertFile, 'utf8'));
    } catch (err) {
      throw new StageScopeError(
        'usage',
        `The CA certificate ${caCertFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
        'Pass a PEM file to --ca-cert.',
      );
    }
  }
  return cas;
}

export function makeDispatcher(opts: TransportOptions): Dispatcher {
  const agent = new Agent({
    connect: { ca: trustedCas(opts.caCertFile), rejectUnauthorized: !opts.insecure, timeout: 10_000 },
    headersTimeout: 30_000,
    bodyTimeout: 60_000,
  });
  // Registries hand blobs out through redirects to storage; undici drops Authorization when
  // a redirect leaves the origin.
  return agent.compose(interceptors.redirect({ maxRedirections: 5 }));
}

const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|DEPTH_ZERO|UNTRUSTED/i;

function codeOf(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.cause?.code ?? e?.code ?? '';
}

export function isCertificateError(err: unknown): boolean {
  return CERT_CODES.test(codeOf(err));
}

/** A plain-HTTP server answering a TLS hello (what falls back to http:// on loopback). */
export function isNotTls(err: unknown): boolean {
  const code = codeOf(err);
  const message = String((err as { cause?: Error })?.cause?.message ?? (err as Error)?.message ?? '');
  return (
    /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|ECONNRESET|UND_ERR_SOCKET/.test(code) ||
    /wrong version number|packet length too long/i.test(message)
  );
}

export function describeNetworkError(err: unknown, host: string): StageScopeError {
  if (err instanceof StageScopeError) return err;
  const code = codeOf(err);
  if (isCertificateError(err)) {
    return new StageScopeError(
      'engine',
      `The registry ${host} presented a certificate StageScope does not trust (${code}).`,
      'Pass its CA with --ca-cert FILE, or --insecure if you accept an unverified connection.',
    );
  }
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name does not resolve',
    ETIMEDOUT: 'it did not answer in time',
    UND_ERR_CONNECT_TIMEOUT: 'it did not answer in time',
    UND_ERR_HEADERS_TIMEOUT: 'it did not answer in time',
    ECONNRESET: 'the connection was cut',
    UND_ERR_SOCKET: 'the connection was cut',
  };
  const reason =
    reasons[code] ??
    String((err as Error)?.message ?? err)
      .replace(/\s+/g, ' ')
      .trim();
  return new StageScopeError(
    'engine',
    `Cannot reach the registry ${host}: ${reason}.`,
    'Check the host name and port, and that the registry is running.',
  );
}
