// Which Docker Engine to talk to, decided the way the docker CLI decides it:
// explicit host > explicit context > DOCKER_HOST > DOCKER_CONTEXT > config.json currentContext
// > the default socket. Pure apart from reading files under the docker config dir, so tests
// can point it at a fake HOME.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StageScopeError } from '../../../shared/errors.ts';

export const DEFAULT_HOST = 'unix:///var/run/docker.sock';

export interface TlsMaterial {
  /** Paths of the PEM files that exist (any may be missing). */
  ca: string | null;
  cert: string | null;
  key: string | null;
  /** false when the context says SkipTLSVerify or only DOCKER_TLS (no verify) is set. */
  verify: boolean;
}

export interface Endpoint {
  /** The host URL as the CLI would print it: unix:///..., tcp://h:p, ssh://u@h. */
  host: string;
  /** Where the host came from, for error messages. */
  source: 'option' | 'DOCKER_HOST' | 'context' | 'default';
  /** The docker context that supplied the host, or null. */
  context: string | null;
  tls: TlsMaterial | null;
}

export interface ResolveInput {
  env: Record<string, string | undefined>;
  homeDir: string;
  host?: string;
  context?: string;
}

function configDir(env: ResolveInput['env'], homeDir: string): string {
  return env.DOCKER_CONFIG || join(homeDir, '.docker');
}

// The docker CLI's own JSON files (config, context meta): their fields are checked where read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StageScopeError('engine', `Cannot read the docker configuration file ${path}.`, 'Fix or remove that file.');
  }
}

function pemFiles(dir: string, verify: boolean): TlsMaterial {
  const pick = (name: string) => (existsSync(join(dir, name)) ? join(dir, name) : null);
  return { ca: pick('ca.pem'), cert: pick('cert.pem'), key: pick('key.pem'), verify };
}

/** The context store keys folders by the sha256 of the context name (docker/cli store). */
export function contextDigest(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function fromContext(name: string, input: ResolveInput): Endpoint {
  const dir = configDir(input.env, input.homeDir);
  const digest = contextDigest(name);
  const meta = readJson(join(dir, 'contexts', 'meta', digest, 'meta.json'));
  const docker = meta?.Endpoints?.docker;
  if (!docker?.Host) {
    throw new StageScopeError(
      'engine',
      `Docker context "${name}" was not found (no ${join('contexts', 'meta', digest, 'meta.json')} under ${dir}).`,
      'Run `docker context ls` and pick an existing context, or unset DOCKER_CONTEXT.',
    );
  }
  const host = String(docker.Host);
  const tlsDir = join(dir, 'contexts', 'tls', digest, 'docker');
  const tls = host.startsWith('tcp://') && existsSync(tlsDir) ? pemFiles(tlsDir, !docker.SkipTLSVerify) : null;
  return { host, source: 'context', context: name, tls };
}

function fromHostString(host: string, source: Endpoint['source'], input: ResolveInput): Endpoint {
  const { env } = input;
  let tls: TlsMaterial | null = null;
  // The CLI turns TLS on with DOCKER_TLS_VERIFY (verify) or DOCKER_TLS (encrypt only).
  const verify = !!env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0';
  if (host.startsWith('tcp://') && (verify || (!!env.DOCKER_TLS && env.DOCKER_TLS !== '0'))) {
    tls = pemFiles(env.DOCKER_CERT_PATH || configDir(env, input.homeDir), verify);
  }
  return { host, source, context: null, tls };
}

export function resolveEndpoint(input: ResolveInput): Endpoint {
  const { env } = input;
  if (input.host) return fromHostString(input.host, 'option', input);
  if (input.context) return input.context === 'default' ? defaultEndpoint(input) : fromContext(input.context, input);
  if (env.DOCKER_HOST) return fromHostString(env.DOCKER_HOST, 'DOCKER_HOST', input);
  const name = env.DOCKER_CONTEXT || readJson(join(configDir(env, input.homeDir), 'config.json'))?.currentContext;
  if (name && name !== 'default') return fromContext(name, input);
  return defaultEndpoint(input);
}

function defaultEndpoint(input: ResolveInput): Endpoint {
  return { ...fromHostString(DEFAULT_HOST, 'default', input), context: null };
}

/** What dockerode's modem needs, without reading any file yet. */
export type Transport =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'ssh'; host: string; port: number | undefined; username: string | undefined };

export function parseHost(host: string, tls = false): Transport {
  if (host.startsWith('unix://')) return { kind: 'unix', socketPath: host.slice('unix://'.length) || '/var/run/docker.sock' };
  if (host.startsWith('npipe://') || host.startsWith('fd://')) {
    throw new StageScopeError(
      'engine',
      `The Docker host ${host} uses a transport StageScope does not support.`,
      'Use a unix://, tcp:// or ssh:// DOCKER_HOST.',
    );
  }
  const withScheme = host.includes('://') ? host : `tcp://${host}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new StageScopeError(
      'engine',
      `The Docker host "${host}" is not a valid address.`,
      'Set DOCKER_HOST like tcp://127.0.0.1:2375 or unix:///var/run/docker.sock.',
    );
  }
  if (url.protocol === 'ssh:') {
    // No port in the URL: ~/.ssh/config (or ssh's default) decides, as with the docker CLI.
    return {
      kind: 'ssh',
      host: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      username: url.username ? decodeURIComponent(url.username) : undefined,
    };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    return { kind: 'tcp', host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)) };
  }
  throw new StageScopeError(
    'engine',
    `The Docker host ${host} uses an unknown scheme ${url.protocol}.`,
    'Use a unix://, tcp:// or ssh:// DOCKER_HOST.',
  );
}
