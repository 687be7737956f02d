// The browser host's per-run token, kept by the page: read once from the URL StageScope
// printed (then dropped from the address bar and history), remembered in sessionStorage so a
// reload works (scoped to this origin, port included, unlike a cookie), and sent on the
// WebSocket and on downloads. Never a cookie: browsers send 127.0.0.1's cookies to every port.
const KEY = 'stagescope-token';
let known: string | null | undefined;

type Win = Pick<Window, 'location' | 'history' | 'sessionStorage'>;

export function pageToken(win: Win = window): string | null {
  if (known !== undefined) return known;
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      win.sessionStorage.setItem(KEY, fromUrl);
    } catch {
      /* storage disabled: the token lives in memory only */
    }
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
    known = fromUrl;
    return known;
  }
  try {
    known = win.sessionStorage.getItem(KEY);
  } catch {
    known = null;
  }
  return known;
}

/** `url` with the page's token added as `token=` (unchanged when the page has none). */
export function withToken(url: string, token: string | null = pageToken()): string {
  if (!token) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}
