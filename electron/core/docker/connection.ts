// Connect to the Docker Engine the way the docker CLI does (see endpoint.ts), then prove the
// engine answers (ping + version) within a deadline and is new enough (API >= 1.41).
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { homedir } from 'node:os';
import Dockerode from 'dockerode';
import type { EngineInfo } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { type Endpoint, parseHost, resolveEndpoint } from './endpoint.ts';
import { sshAgent } from './ssh-dial.ts';
import { chosenContext } from './contexts.ts';

export const MIN_API_VERSION = '1.41';
const DEFAULT_TIMEOUT_MS = 5000;
/** ssh has its own ConnectTimeout (30 s, as the docker CLI sets); a login can take seconds. */
const SSH_TIMEOUT_MS = 30_000;

export interface ConnectOptions {
  host?: string;
  context?: string;
  timeoutMs?: number;
  /** For tests: the environment and home dir to resolve from. */
  env?: Record<string, string | undefined>;
  homeDir?: string;
}

export interface Connection {
  docker: Dockerode;
  info: EngineInfo;
  host: string;
}

const readPem = (path: string | null) => (path ? readFileSync(path) : undefined);

export function dockerodeOptions(
  endpoint: Endpoint,
  env: Record<string, string | undefined>,
): Dockerode.DockerOptions & Record<string, unknown> {
  const transport = parseHost(endpoint.host, endpoint.tls !== null);
  // Explicit undefineds on purpose: docker-modem merges its own reading of DOCKER_HOST and
  // DOCKER_CERT_PATH underneath these options, which must not leak into another endpoint.
  if (transport.kind === 'unix') {
    return { socketPath: transport.socketPath, host: undefined, protocol: 'http', ca: undefined, cert: undefined, key: undefined };
  }
  if (transport.kind === 'ssh') {
    // HTTP over `ssh HOST docker system dial-stdio` (ssh-dial.ts): the host is only a label here.
    return {
      protocol: 'http',
      host: transport.host,
      port: transport.port ?? 22,
      agent: sshAgent(transport, env),
      socketPath: undefined,
      ca: undefined,
      cert: undefined,
      key: undefined,
    };
  }
  if (!endpoint.tls) return { protocol: 'http', host: transport.host, port: transport.port };
  const ca = readPem(endpoint.tls.ca);
  const cert = readPem(endpoint.tls.cert);
  const key = readPem(endpoint.tls.key);
  return {
    protocol: 'https',
    host: transport.host,
    port: transport.port,
    ca,
    cert,
    key,
    // SkipTLSVerify / DOCKER_TLS without verify: encrypt but accept any server certificate.
    ...(endpoint.tls.verify ? {} : { agent: new HttpsAgent({ ca, cert, key, rejectUnauthorized: false }) }),
  };
}

export function compareApiVersions(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number);
  const [b1, b2] = b.split('.').map(Number);
  return a1 !== b1 ? a1 - b1 : (a2 || 0) - (b2 || 0);
}

/** One sentence on why the engine did not answer, plus what to try. */
export function describeConnectError(err: unknown, host: string, timedOut: boolean): StageScopeError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `the Docker Engine at ${host}`;
  if (timedOut) {
    return new StageScopeError(
      'engine',
      `Cannot reach ${where}: it did not answer in time.`,
      'Check that Docker is running and that DOCKER_HOST points at it.',
    );
  }
  if (code === 'ENOENT') {
    return new StageScopeError(
      'engine',
      `Cannot reach ${where}: no Docker daemon is listening there (the socket does not exist).`,
      'Start Docker (e.g. `sudo systemctl start docker`) or check DOCKER_HOST.',
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new StageScopeError(
      'engine',
      `Cannot reach ${where}: permission denied on the socket.`,
      'Add yourself to the docker group (`sudo usermod -aG docker $USER`, then log in again).',
    );
  }
  if (code === 'ECONNREFUSED') {
    return new StageScopeError(
      'engine',
      `Cannot reach ${where}: the connection was refused.`,
      'Start Docker or check DOCKER_HOST and its port.',
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new StageScopeError(
      'engine',
      `Cannot reach ${where}: the host name does not resolve.`,
      'Check DOCKER_HOST or the current docker context.',
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SSH_FAILED') {
    return new StageScopeError(
      'engine',
      `Cannot reach ${where}: ${message.replace(/\s+/g, ' ').trim()}.`,
      'Check that `ssh HOST docker version` works without a prompt (key in the agent or IdentityFile in ~/.ssh/config).',
    );
  }
  const tls = describeTlsFailure(code, message);
  if (tls)
    return new StageScopeError(
      'engine',
      `Cannot reach ${where}: ${tls}.`,
      "Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) or the context's TLS files against the engine's --tlscacert.",
    );
  return new StageScopeError(
    'engine',
    `Cannot reach ${where}: ${message.replace(/\s+/g, ' ').trim()}.`,
    'Start Docker, check DOCKER_HOST and the current docker context.',
  );
}

/** OpenSSL's codes and alerts for the TLS failures people meet with --tlsverify engines. */
function describeTlsFailure(code: string | undefined, message: string): string | null {
  if (code === 'CERT_HAS_EXPIRED') return "the engine's TLS certificate has expired";
  if (code && /UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER|DEPTH_ZERO/.test(code)) {
    return `the engine's TLS certificate is not signed by the CA StageScope was given (${code})`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return "the engine's TLS certificate does not name this host";
  if (/alert certificate required|alert handshake failure/i.test(message))
    return 'the engine requires a client certificate and none was sent (no cert.pem and key.pem)';
  if (/alert certificate expired/i.test(message)) return 'the engine rejected the client certificate because it has expired';
  if (/alert (bad certificate|unknown ca|certificate unknown|decrypt error)/i.test(message))
    return 'the engine rejected the client certificate (not signed by its CA)';
  return null;
}

export async function connectEngine(opts: ConnectOptions = {}): Promise<Connection> {
  const env = opts.env ?? process.env;
  // A context chosen in the UI (contexts.ts) applies when the caller names no engine itself.
  const context = opts.context ?? (opts.host || opts.env ? undefined : (chosenContext() ?? undefined));
  const endpoint = resolveEndpoint({ env, homeDir: opts.homeDir ?? homedir(), host: opts.host, context });
  let docker: Dockerode;
  try {
    docker = new Dockerode(dockerodeOptions(endpoint, env));
  } catch (err) {
    if (err instanceof StageScopeError) throw err;
    throw describeConnectError(err, endpoint.host, false);
  }

  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      abort.abort();
    },
    opts.timeoutMs ?? (endpoint.host.startsWith('ssh://') ? SSH_TIMEOUT_MS : DEFAULT_TIMEOUT_MS),
  );
  let version: { Version?: string; ApiVersion?: string };
  try {
    // dockerode accepts { abortSignal } here; @types/dockerode does not say so.
    const untyped = docker as unknown as { ping(o: object): Promise<unknown>; version(o: object): Promise<typeof version> };
    await untyped.ping({ abortSignal: abort.signal });
    version = await untyped.version({ abortSignal: abort.signal });
  } catch (err) {
    throw describeConnectError(err, endpoint.host, timedOut);
  } finally {
    clearTimeout(timer);
  }

  const info: EngineInfo = { version: String(version.Version ?? 'unknown'), apiVersion: String(version.ApiVersion ?? '0.0') };
  if (compareApiVersions(info.apiVersion, MIN_API_VERSION) < 0) {
    throw new StageScopeError(
      'engine',
      `The Docker Engine at ${endpoint.host} is too old (version ${info.version}, API ${info.apiVersion}); StageScope needs API ${MIN_API_VERSION} (Engine 20.10) or newer.`,
      'Upgrade Docker Engine to 20.10 or newer.',
    );
  }
  return { docker, info, host: endpoint.host };
}
