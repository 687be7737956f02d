// Who may talk to the browser host: whoever holds the per-run token (from the URL printed at
// start; the page sends it on its WebSocket and downloads), from a page whose Origin is the
// host itself, addressed by a loopback name (a DNS-rebinding page arrives with its own domain
// in Host and is refused). The static files are the public renderer build and need no token.
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

/**
 * The token travels in the request's own URL only (`?token=`): the page keeps it in memory
 * and sessionStorage, both scoped to this origin. A cookie would not be: browsers send
 * cookies for 127.0.0.1 to every port, so any other local server would receive it.
 */
export function requestToken(url: URL): string | null {
  return url.searchParams.get('token');
}
