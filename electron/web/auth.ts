// Who may talk to the browser host: whoever holds the per-run token (from the URL printed at
// start, then a cookie), from a page whose Origin is the host itself, addressed by a loopback
// name (a DNS-rebinding page arrives with its own domain in Host and is refused).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensEqual(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Cookies are shared across ports of one host, so two hosts on 127.0.0.1 need two names. */
export function cookieName(port: number): string {
  return `stagescope_${port}`;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/;

/** Host must name the loopback (any port: an SSH tunnel may forward another local port). */
export function hostAllowed(req: IncomingMessage): boolean {
  return LOOPBACK_HOST.test(req.headers.host ?? '');
}

/** A present Origin must be this very host; browsers always send one on WebSocket upgrades. */
export function originAllowed(req: IncomingMessage, required: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return !required;
  return hostAllowed(req) && origin === `http://${req.headers.host}`;
}

export function requestToken(req: IncomingMessage, url: URL, port: number): string | null {
  return url.searchParams.get('token') ?? parseCookies(req.headers.cookie).get(cookieName(port)) ?? null;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
