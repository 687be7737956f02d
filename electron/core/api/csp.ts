// The one Content-Security-Policy of the renderer, sent by Electron main (response header) and
// the browser host (header), and mirrored in renderer/index.html's meta tag. No 'unsafe-eval'
// and no inline script. style-src allows inline styles because Svelte components set style
// attributes and vite injects <style> in development; styles cannot run code.
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
