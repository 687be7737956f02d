// Registry credentials as the docker CLI keeps them in ~/.docker/config.json (or
// $DOCKER_CONFIG): `credHelpers[host]`, else `credsStore`, through a `docker-credential-NAME`
// helper on PATH (its `get` protocol: server URL on stdin, {Username, Secret} on stdout), else
// `auths[host].auth` (base64 user:password). Nothing is written; nothing is cached on disk.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StageScopeError } from '../../../../shared/errors.ts';
import { DOCKER_HUB } from './reference.ts';

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, for messages: `config.json` or `docker-credential-NAME`. */
  from: string;
}

export interface CredentialEnv {
  env: Record<string, string | undefined>;
  homeDir: string;
}

const HUB_KEY = 'https://index.docker.io/v1/';
const HELPER_TIMEOUT_MS = 10_000;

/** The key the CLI files a host under: Docker Hub has its legacy URL, others their host[:port]. */
export function serverKey(host: string): string {
  return host === DOCKER_HUB ? HUB_KEY : host;
}

function normalizeKey(key: string): string {
  if (key === HUB_KEY || key === 'docker.io' || key === 'index.docker.io') return DOCKER_HUB;
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

// The docker config file is the user's JSON: its fields are checked where they are read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function readConfig(ctx: CredentialEnv): { path: string; config: Record<string, any> | null } {
  const dir = ctx.env.DOCKER_CONFIG || join(ctx.homeDir, '.docker');
  const path = join(dir, 'config.json');
  try {
    return { path, config: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, config: null };
    throw new StageScopeError(
      'usage',
      `The docker configuration ${path} cannot be read: ${(err as Error).message}.`,
      'Fix or remove that file.',
    );
  }
}

function helperGet(name: string, host: string, ctx: CredentialEnv): Promise<Credentials | null> {
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { env: ctx.env as NodeJS.ProcessEnv, timeout: HELPER_TIMEOUT_MS }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(
            new StageScopeError(
              'usage',
              `The credential helper ${program} named in the docker configuration is not on PATH.`,
              'Install it, or remove it from ~/.docker/config.json.',
            ),
          );
        } else if (/credentials not found/i.test(String(stdout))) {
          resolve(null);
        } else {
          reject(
            new StageScopeError(
              'usage',
              `The credential helper ${program} failed for ${host}: ${String(stdout || err.message)
                .trim()
                .slice(0, 200)}.`,
              'Run `docker login` again.',
            ),
          );
        }
        return;
      }
      try {
        const doc = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!doc.Secret) return resolve(null);
        resolve({ username: doc.Username ?? '', password: doc.Secret, from: program });
      } catch {
        reject(new StageScopeError('usage', `The credential helper ${program} answered something that is not JSON.`, null));
      }
    });
    child.stdin?.end(serverKey(host));
  });
}

export async function findCredentials(host: string, ctx: CredentialEnv): Promise<Credentials | null> {
  const { config } = readConfig(ctx);
  if (!config) return null;
  const helpers = (config.credHelpers ?? {}) as Record<string, string>;
  for (const [key, helper] of Object.entries(helpers)) {
    if (normalizeKey(key) === host && typeof helper === 'string') return helperGet(helper, host, ctx);
  }
  if (typeof config.credsStore === 'string' && config.credsStore) return helperGet(config.credsStore, host, ctx);
  const auths = (config.auths ?? {}) as Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  for (const [key, entry] of Object.entries(auths)) {
    if (normalizeKey(key) !== host || !entry) continue;
    if (entry.auth) {
      const text = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      if (colon > 0) return { username: text.slice(0, colon), password: text.slice(colon + 1), from: 'config.json' };
    }
    if (entry.username && entry.password) return { username: entry.username, password: entry.password, from: 'config.json' };
  }
  return null;
}
