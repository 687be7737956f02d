// The renderer alone, for the browser host (`stagescope serve`): `npm run build:renderer`
// writes out/renderer, the same files electron-vite builds for the desktop app.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { cspHtmlPlugin } from './renderer/csp-plugin.ts';

export default defineConfig({
  root: resolve('renderer'),
  base: './',
  plugins: [svelte(), cspHtmlPlugin()],
  build: {
    outDir: resolve('out/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    // No inline <script> or data: modules: the CSP allows 'self' scripts only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
