// The browser host (`stagescope serve`, `npm run serve`).
export { startWebHost, type WebHost, type WebHostOptions } from './server.ts';
export { packageRoot, rendererStaticDir } from './static-dir.ts';
