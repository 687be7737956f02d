// electron-vite: main (ESM), preload (CommonJS: a sandboxed preload cannot be an ES module),
// and the renderer (Svelte) from renderer/. `npm start` runs it in development.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { cspHtmlPlugin } from './renderer/csp-plugin.ts';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: resolve('electron/main/index.ts'), formats: ['es'], fileName: () => 'index.js' },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Bundle everything into one file: a sandboxed preload can only require('electron').
      externalizeDeps: false,
      lib: { entry: resolve('electron/preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [svelte(), cspHtmlPlugin()],
    // The dev server on the loopback address the CSP allows for its HMR socket.
    server: { host: '127.0.0.1' },
    build: {
      outDir: resolve('out/renderer'),
      rolldownOptions: { input: resolve('renderer/index.html') },
    },
  },
});
