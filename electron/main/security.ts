// Every restriction on web content in one place: no navigation away from the app, no new
// windows, no <webview>, no permissions, and the CSP on every response. The window's own
// webPreferences (sandbox, isolation) are in window.ts.
import type { App, Session, WebContents } from 'electron';
import type { AppUrlCheck } from './app-url.ts';

export function hardenWebContents(contents: WebContents, isAppUrl: AppUrlCheck): void {
  const denyForeign = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', denyForeign);
  contents.on('will-redirect', denyForeign);
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function hardenSession(session: Session, csp: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    // Drop any policy a server sent (e.g. the dev server) so ours is the one that applies.
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    headers['Content-Security-Policy'] = [csp];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
}

/** Hardens every web contents the app ever creates, including ones made later. */
export function installSecurity(app: App, isAppUrl: AppUrlCheck): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl));
}
