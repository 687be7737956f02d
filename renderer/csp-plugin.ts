// Writes the renderer's CSP meta tag from electron/core/api/csp.ts, so the page, Electron's
// header and the browser host's header can never drift apart. Shared by both vite configs.
import type { Plugin } from 'vite';
import { metaContentSecurityPolicy } from '../shared/csp.ts';

export const CSP_PLACEHOLDER = '%STAGESCOPE_CSP%';

export function cspHtmlPlugin(): Plugin {
  let dev = false;
  return {
    name: 'stagescope-csp',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    // 'pre': before vite's own %ENV% replacement, which would warn about an unknown variable.
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(CSP_PLACEHOLDER)) throw new Error(`renderer/index.html must carry ${CSP_PLACEHOLDER} in its CSP meta tag`);
        return html.replace(CSP_PLACEHOLDER, metaContentSecurityPolicy({ dev }));
      },
    },
  };
}
