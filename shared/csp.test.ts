import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cspHtmlPlugin } from '../renderer/csp-plugin.ts';
import { contentSecurityPolicy, metaContentSecurityPolicy } from './csp.ts';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0], d.replace(/\s+/g, ' ')]),
  );
}

function renderIndexHtml(command: 'build' | 'serve'): string {
  const plugin = cspHtmlPlugin() as any;
  plugin.configResolved({ command });
  const html = readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8');
  return plugin.transformIndexHtml.handler(html);
}

describe('content security policy', () => {
  it('allows only same-origin scripts and styles: no eval, nothing inline, no plugins, no base rewrite', () => {
    const csp = directives(contentSecurityPolicy());
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(csp.get('script-src')).toBe("script-src 'self'");
    expect(csp.get('style-src')).toBe("style-src 'self'");
    expect(csp.get('default-src')).toBe("default-src 'self'");
    expect(csp.get('object-src')).toBe("object-src 'none'");
    expect(csp.get('base-uri')).toBe("base-uri 'none'");
    expect(csp.get('frame-ancestors')).toBe("frame-ancestors 'none'");
  });

  it('lets only the dev server inject inline styles, and never eval', () => {
    const dev = contentSecurityPolicy({ dev: true });
    expect(directives(dev).get('style-src')).toBe("style-src 'self' 'unsafe-inline'");
    expect(directives(dev).get('script-src')).toBe("script-src 'self'");
    expect(dev).not.toMatch(/unsafe-eval/);
  });

  it('writes the same policy into renderer/index.html (file:// pages get no headers in Electron)', () => {
    const meta = (html: string) => /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const built = meta(renderIndexHtml('build'));
    expect(built).toBe(metaContentSecurityPolicy());
    const header = directives(contentSecurityPolicy());
    header.delete('frame-ancestors'); // ignored in a meta tag
    expect(directives(built!)).toEqual(header);
    expect(meta(renderIndexHtml('serve'))).toBe(metaContentSecurityPolicy({ dev: true }));
  });
});
