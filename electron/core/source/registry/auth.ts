// The distribution API's auth handshake: a 401 carries `WWW-Authenticate: Basic realm=…` (send
// the user's password) or `Bearer realm=…,service=…,scope=…` (trade the password, or nothing,
// for a pull token at the realm).
import { request, type Dispatcher } from 'undici';
import { StageScopeError } from '../../../../shared/errors.ts';
import type { Credentials } from './credentials.ts';

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

export function parseChallenge(header: string | string[] | undefined): Challenge | null {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return null;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(text);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return null;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme, params };
}

export function basicHeader(c: Credentials): string {
  return 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64');
}

export function loginNeeded(host: string, repository: string): StageScopeError {
  return new StageScopeError(
    'engine',
    `The registry ${host} needs a login to read ${repository}.`,
    `Run \`docker login ${host}\` (StageScope reads ~/.docker/config.json and its credential helpers).`,
  );
}

export function wrongCredentials(host: string, c: Credentials): StageScopeError {
  return new StageScopeError(
    'engine',
    `The registry ${host} rejected the username and password of ${c.username || 'the stored login'} (from ${c.from}).`,
    `Run \`docker login ${host}\` again.`,
  );
}

/** The Authorization header for a challenge, or an error saying why there is none. */
export async function answerChallenge(
  challenge: Challenge,
  creds: Credentials | null,
  ctx: { host: string; repository: string; dispatcher: Dispatcher },
): Promise<string> {
  if (challenge.scheme === 'basic') {
    if (!creds) throw loginNeeded(ctx.host, ctx.repository);
    return basicHeader(creds);
  }
  const realm = challenge.params.realm;
  if (!realm) throw new StageScopeError('engine', `The registry ${ctx.host} asked for a token without saying where to get one.`, null);
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.set('scope', challenge.params.scope || `repository:${ctx.repository}:pull`);
  if (creds) url.searchParams.set('account', creds.username);
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, { dispatcher: ctx.dispatcher, headers: creds ? { authorization: basicHeader(creds) } : {} });
  } catch (err) {
    throw new StageScopeError(
      'engine',
      `The token service ${url.host} of the registry ${ctx.host} cannot be reached: ${(err as Error).message}.`,
      null,
    );
  }
  if (res.statusCode === 401 || res.statusCode === 403) {
    await res.body.dump();
    throw creds ? wrongCredentials(ctx.host, creds) : loginNeeded(ctx.host, ctx.repository);
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new StageScopeError('engine', `The token service of the registry ${ctx.host} answered ${res.statusCode}.`, null);
  }
  const doc = (await res.body.json().catch(() => ({}))) as { token?: string; access_token?: string };
  const token = doc.token ?? doc.access_token;
  if (!token) throw new StageScopeError('engine', `The token service of the registry ${ctx.host} gave no token.`, null);
  return `Bearer ${token}`;
}
