// The Electron binary cannot be downloaded here, so these tests drive the security module with
// stand-ins for WebContents, Session and App that record what it registers.
import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../shared/csp.ts';
import { createAppUrlCheck } from './app-url.ts';
import { hardenSession, hardenWebContents, installSecurity } from './security.ts';

const isAppUrl = createAppUrlCheck({ rendererDir: '/opt/stagescope/out/renderer' });

function fakeContents() {
  const handlers = new Map<string, (...args: any[]) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (name: string, fn: (...args: any[]) => void) => handlers.set(name, fn),
    setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
  };
  const fire = (name: string, url: string) => {
    const event = { url, preventDefault: vi.fn() };
    handlers.get(name)!(event, url);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { contents, handlers, fire, open: (url: string) => openHandler!({ url }) };
}

describe('web contents', () => {
  it('denies navigation and redirects away from the app, allows the app itself', () => {
    const c = fakeContents();
    hardenWebContents(c.contents as any, isAppUrl);
    expect(c.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.fire('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(c.fire('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-navigate', 'file:///opt/stagescope/out/renderer/index.html')).toBe(false);
  });

  it('denies every window.open and every <webview>', () => {
    const c = fakeContents();
    hardenWebContents(c.contents as any, isAppUrl);
    expect(c.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(c.open('file:///opt/stagescope/out/renderer/index.html')).toEqual({ action: 'deny' });
    expect(c.fire('will-attach-webview', 'file:///opt/stagescope/out/renderer/index.html')).toBe(true);
  });

  it('hardens web contents created later, through app web-contents-created', () => {
    let listener: ((e: unknown, contents: unknown) => void) | null = null;
    installSecurity({ on: (name: string, fn: any) => name === 'web-contents-created' && (listener = fn) } as any, isAppUrl);
    const c = fakeContents();
    listener!({}, c.contents);
    expect(c.open('https://x.example')).toEqual({ action: 'deny' });
    expect(c.handlers.has('will-navigate')).toBe(true);
  });
});

describe('session', () => {
  function fakeSession() {
    const s: any = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    };
    hardenSession(s, contentSecurityPolicy());
    return s;
  }

  it('refuses every permission request and check', () => {
    const s = fakeSession();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      s.setPermissionRequestHandler.mock.calls[0][0]({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(s.setPermissionCheckHandler.mock.calls[0][0]({}, 'media')).toBe(false);
  });

  it('replaces any server policy with our CSP, which has no unsafe-eval nor inline script', () => {
    const s = fakeSession();
    const callback = vi.fn();
    s.webRequest.onHeadersReceived.mock.calls[0][0](
      { responseHeaders: { 'content-security-policy': ["script-src * 'unsafe-eval'"], a: ['b'] } },
      callback,
    );
    const headers = callback.mock.calls[0][0].responseHeaders;
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers.a).toEqual(['b']);
    const csp: string = headers['Content-Security-Policy'][0];
    expect(csp).toBe(contentSecurityPolicy());
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("default-src 'self'");
  });
});
