// End-to-end set-up: the real browser host (same API as the desktop app) on the real engine,
// driven in Debian's Chromium by playwright-core. Nothing is mocked here. A missing Chromium
// or engine fails the run: in CI that is an error, not a skip.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startWebHost, type WebHost } from '../../electron/web/index.ts';
import { openProject } from '../../electron/core/project/session.ts';
import { engineStatus } from '../../electron/core/project/engine-status.ts';
import { RENDERER_DIR } from '../../electron/cli/serve.ts';
import { requireBaseImages, requireEngine } from '../support/engine.ts';

export const CHROMIUM = process.env.STAGESCOPE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve('test-artifacts');

/** Builds the renderer once if `npm run build` has not. */
export function ensureRendererBuilt(): void {
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}

export interface E2E {
  host: WebHost;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** `stateDir`: where the host keeps recent projects and last builds across restarts. */
export async function startE2E(root: string, opts: { stateDir?: string } = {}): Promise<E2E> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}: run bash scripts/ci/install-test-deps.sh (apt-get install chromium).`);
  await requireEngine();
  await requireBaseImages();
  ensureRendererBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  const host = await startWebHost({
    staticDir: RENDERER_DIR,
    root,
    openSession: (r) => openProject(r),
    engineStatus,
    stateDir: opts.stateDir,
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  (page as Page & { problems?: string[] }).problems = problems;
  await page.goto(host.url);
  return {
    host,
    browser,
    page,
    async close() {
      await browser.close();
      await host.close();
    },
  };
}

export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}
