// Strings from images and Dockerfiles are text in the real UI: a file named
// `<img src=x onerror=alert(1)>` and HTML in the Dockerfile (a comment, and the RUN line's shell
// comment that becomes the layer's command) render as text; no dialog opens, no element appears.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../support/fixtures.ts';
import { cleanupFixture } from '../integration/harness.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
let e2e: E2E;
const dialogs: string[] = [];

describe('hostile names in the browser', () => {
  beforeAll(async () => {
    e2e = await startE2E(fixtureDir('hostile-names'));
    e2e.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterAll(async () => {
    await e2e?.close();
    await cleanupFixture('hostile-names');
  });

  it('builds the project and shows the HTML file name as a plain tree item', async () => {
    const { page } = e2e;
    await page.getByText(/Engine 26\./).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'hostile', exact: true }).waitFor();
    await page.getByRole('button', { name: /^Build$/ }).click();
    await page.getByRole('button', { name: /^Build$/ }).waitFor({ timeout: 240_000 });
    await page.getByRole('button', { name: 'hostile', exact: true }).click();
    await page.getByRole('tab', { name: 'Stage' }).click();
    const tree = page.getByRole('tree');
    const x = tree.getByRole('treeitem', { name: 'x', exact: true });
    await x.waitFor();
    if ((await x.getAttribute('aria-expanded')) !== 'true') await x.click();
    const item = tree.getByRole('treeitem', { name: HOSTILE_NAME, exact: true });
    await item.waitFor();
    await item.click();
    await expect(item.textContent()).resolves.toContain(HOSTILE_NAME);
    await screenshot(page, 'hostile-names');
  });

  it('the layer command with HTML shows as text somewhere in the stage view', async () => {
    const { page } = e2e;
    await expect(page.getByText('<b id="injected">', { exact: false }).count()).resolves.toBeGreaterThan(0);
  });

  it('no dialog fired, no injected element exists, no page error', async () => {
    const { page } = e2e;
    // Give a late onerror handler the chance to fire.
    await page.waitForTimeout(500);
    expect(dialogs).toEqual([]);
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(page.locator('#injected').count()).resolves.toBe(0);
    await expect(page.locator('script:not([src])').count()).resolves.toBe(0);
    expect(pageProblems(page)).toEqual([]);
  });
});
