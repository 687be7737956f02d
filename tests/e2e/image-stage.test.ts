// An image opened by reference shown in the Stage view beside a project's stages and diffed
// against one (issue 15): a tiny local image built here, the from-stage project built in the
// browser. Screenshots at 1440x900 and 1024x700; the page never scrolls at either size.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_IMAGES } from '../support/base-images.ts';
import { removeImages } from '../support/engine.ts';
import { fixtureDir } from '../support/fixtures.ts';
import { sh } from '../support/source-images.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { cleanupFixture } from '../integration/harness.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

const IMAGE = 'stagescope-test/imageview-e2e:1';
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
];
let e2e: E2E;

/** The page itself never scrolls, and no element pokes out of the window sideways. */
async function expectFits(page: Page): Promise<void> {
  const s = await page.evaluate(() => {
    const d = document.documentElement;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && e.getClientRects().length > 0)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    return { sh: d.scrollHeight, ch: d.clientHeight, sw: d.scrollWidth, cw: d.clientWidth, wide };
  });
  expect(s.sh, 'the page must not scroll').toBeLessThanOrEqual(s.ch);
  expect(s.sw).toBeLessThanOrEqual(s.cw);
  expect(s.wide).toEqual([]);
}

beforeAll(async () => {
  const dir = await makeTempDir('stagescope-imageview-');
  await writeFile(
    join(dir, 'Dockerfile'),
    `FROM ${BASE_IMAGES.busybox}\nRUN mkdir -p /left && echo changed > /left/shared.txt && echo "hello from the image" > /hello.txt\n`,
  );
  await sh('docker', ['build', '--network=none', '-q', '-t', IMAGE, dir]);
  e2e = await startE2E(fixtureDir('from-stage'));
  const { page } = e2e;
  await page.getByText(/Engine \d+\.\d+/).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'final', exact: true }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: /^Build$/ }).click();
  await page
    .getByRole('button', { name: 'Cancel build' })
    .waitFor({ timeout: 30_000 })
    .catch(() => undefined);
  await page.getByRole('button', { name: /^Build$/ }).waitFor({ timeout: 240_000 });
  await page.getByRole('button', { name: 'final', exact: true }).and(page.locator('[data-state="built"]')).waitFor({ timeout: 60_000 });
}, 300_000);

afterAll(async () => {
  await e2e?.close();
  await cleanupFixture('from-stage');
  await removeImages([IMAGE]);
  await removeTempDirs();
});

describe('an opened image beside the stages', () => {
  it('opens from the header and shows in the Stage view as a stage does: layers, tree, preview', async () => {
    const { page } = e2e;
    await page.getByRole('button', { name: 'Open image…' }).click();
    await page.getByLabel('Image', { exact: true }).fill(IMAGE);
    await page.getByRole('button', { name: 'Open image', exact: true }).click();
    const listed = page.getByRole('region', { name: 'Opened images' }).getByRole('button', { name: new RegExp(`^image ${IMAGE}`) });
    await listed.waitFor({ timeout: 60_000 });
    await expect(page.getByRole('tab', { name: 'Stage' }).getAttribute('aria-selected')).resolves.toBe('true');
    const layers = page.getByRole('region', { name: 'Layers' });
    await layers.getByText('image', { exact: true }).waitFor();
    // The image's own layer (its RUN), like a stage's: its changes only.
    await layers.getByRole('button', { name: /RUN .*hello from the image/ }).click();
    const details = await layers.getByRole('region', { name: 'Layer details' }).innerText();
    expect(details).toContain(`${IMAGE} on unix://`);
    expect(details).toMatch(/layer 2\/2\n.*\+ [1-9]\d* added/s);
    const tree = page.getByRole('tree', { name: new RegExp(`^Files of ${IMAGE}`) });
    const hello = tree.getByRole('treeitem', { name: 'hello.txt', exact: true });
    await hello.waitFor();
    await expect(tree.getByRole('treeitem', { name: 'busybox', exact: true }).count()).resolves.toBe(0);
    await hello.click();
    const preview = page.getByRole('region', { name: 'File preview' });
    await preview.getByText('hello from the image').waitFor({ timeout: 30_000 });
    // Extract downloads the image's file (/download?image=…), as a stage's.
    const [download] = await Promise.all([page.waitForEvent('download'), preview.getByRole('link', { name: /Extract/ }).click()]);
    expect(download.suggestedFilename()).toBe('hello.txt');
    expect(await readFile((await download.path())!, 'utf8')).toBe('hello from the image\n');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(150);
      await expectFits(page);
      await screenshot(page, `image-stage-${size.width}`);
    }
    await page.setViewportSize(SIZES[0]);
    expect(pageProblems(page)).toEqual([]);
  });

  it('diffs the image against a stage, and a stage again against another', async () => {
    const { page } = e2e;
    await page.getByRole('tab', { name: 'Diff' }).click();
    await page.getByRole('combobox', { name: 'Diff from stage' }).selectOption({ label: 'final' });
    // The image is listed by its reference (as the source names it: "<ref> on <engine>").
    const to = page.getByRole('combobox', { name: 'Diff to stage' });
    const option = to.locator('optgroup[label="Opened images"] option', { hasText: `image ${IMAGE}` });
    await to.selectOption({ label: (await option.textContent())!.trim() });
    await page.getByLabel('list').click();
    const changed = page.getByRole('list', { name: 'Changed files' });
    await changed.getByRole('button', { name: 'added /hello.txt' }).waitFor({ timeout: 30_000 });
    await changed.getByRole('button', { name: 'removed /right/right.txt' }).waitFor();
    await changed.getByRole('button', { name: /^modified \/left\/shared\.txt/ }).click();
    // The side-by-side of a file of the stage and of the image.
    const sideBySide = page.getByRole('table', { name: /^Text diff: final against / });
    await sideBySide.waitFor({ timeout: 30_000 });
    await expect(sideBySide.innerText()).resolves.toMatch(/shared[\s\S]*changed/);
    await expect(page.getByLabel('Diff totals').innerText()).resolves.toMatch(/\+ [1-9]\d* added .*− [1-9]\d* removed .*~ 1 modified/s);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(150);
      await expectFits(page);
      await screenshot(page, `image-stage-diff-${size.width}`);
    }
    await page.setViewportSize(SIZES[0]);
    // Stages alone still diff as before.
    await page.getByRole('combobox', { name: 'Diff to stage' }).selectOption({ label: 'left' });
    await changed.getByRole('button', { name: 'removed /right/right.txt' }).waitFor({ timeout: 30_000 });
    expect(pageProblems(page)).toEqual([]);
  });
});
