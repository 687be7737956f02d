// The sandboxed preload must be one CommonJS file; the main process is ESM. This reads the
// electron-vite config rather than building (the build runs in CI through `npm run build`).
import { describe, expect, it } from 'vitest';
import config from '../../electron.vite.config.ts';

describe('electron-vite config', () => {
  it('bundles the preload as a single CommonJS file with its dependencies inlined', () => {
    const preload = (config as any).preload.build;
    expect(preload.lib.formats).toEqual(['cjs']);
    expect(preload.lib.fileName()).toBe('index.cjs');
    expect(preload.externalizeDeps).toBe(false);
    expect(preload.lib.entry).toMatch(/electron\/preload\/index\.ts$/);
  });

  it('builds main from electron/main and the renderer from renderer/index.html', () => {
    const c = config as any;
    expect(c.main.build.lib.entry).toMatch(/electron\/main\/index\.ts$/);
    expect(c.renderer.build.rolldownOptions.input).toMatch(/renderer\/index\.html$/);
    expect(c.renderer.plugins.map((p: any) => (Array.isArray(p) ? p.map((q: any) => q.name) : p.name)).flat()).toContain('stagescope-csp');
  });
});
