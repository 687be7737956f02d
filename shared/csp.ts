// The one Content-Security-Policy of the renderer, sent by Electron main (response header), the
// browser host (header), and written into renderer/index.html's meta tag at build time (see
// cspHtmlPlugin). No 'unsafe-eval', no inline script, no inline style in a built app (checked in
// Chromium: Svelte and virtua set styles through the CSSOM, which CSP allows). Only vite's dev
// server needs inline <style> for hot reload, so `dev` adds 'unsafe-inline' to style-src.
// Lives in shared/ because Electron main, the browser host and the build all import it, and
// neither the host nor the build may pull in Electron (electron/main/security.ts applies it).
export function contentSecurityPolicy(opts: { dev?: boolean; socketHost?: string } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    opts.dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // The browser host's own WebSocket only (`ws://<Host header>`, validated loopback): no
    // other local port. 'self' covers it too in CSP 3 browsers; Electron uses IPC, no socket.
    opts.socketHost ? `connect-src 'self' ws://${opts.socketHost}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy a <meta> tag can carry: frame-ancestors is ignored there (and warned about). */
export function metaContentSecurityPolicy(opts: { dev?: boolean } = {}): string {
  return contentSecurityPolicy(opts)
    .split('; ')
    .filter((d) => !d.startsWith('frame-ancestors'))
    .join('; ');
}
