import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp.ts';

function directives(policy: string): Map<string, string> {
  return new Map(policy.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0], d.replace(/\s+/g, ' ')]));
}

describe('content security policy', () => {
  it('allows only same-origin scripts: no eval, no inline script, no plugins, no base rewrite', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('script-src')).toBe("script-src 'self'");
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval/);
    expect(csp.has('script-src-elem')).toBe(false);
    expect(csp.get('default-src')).toBe("default-src 'self'");
    expect(csp.get('object-src')).toBe("object-src 'none'");
    expect(csp.get('base-uri')).toBe("base-uri 'none'");
  });

  it('is the same policy in renderer/index.html (file:// pages get no headers in Electron)', () => {
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeTruthy();
    const header = directives(contentSecurityPolicy());
    // frame-ancestors is ignored in a meta tag, so only the header carries it.
    header.delete('frame-ancestors');
    expect(directives(meta!)).toEqual(header);
  });
});
