// "Open image…" in the real UI (Chromium): an OCI layout holding a two-platform index asks for
// a platform, then shows that image in the Stage view; the header says which engine is used.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ASSETS_FILES, BASE_IMAGES } from '../support/base-images.ts';
import { makeTwoPlatformLayout, sh } from '../support/source-images.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

let e2e: E2E;
let layout: string;
let archive: string;

beforeAll(async () => {
  const dir = await makeTempDir('stagescope-open-image-');
  await sh('docker', ['save', '-o', join(dir, 'busybox.tar'), BASE_IMAGES.busybox]);
  archive = join(dir, 'assets.tar');
  await sh('docker', ['save', '-o', archive, BASE_IMAGES.assets]);
  await sh('skopeo', ['copy', '-q', `docker-archive:${join(dir, 'busybox.tar')}`, `oci:${join(dir, 'one')}:one`]);
  layout = join(dir, 'multi');
  makeTwoPlatformLayout(join(dir, 'one'), layout, 'multi');
  e2e = await startE2E(dir);
});

afterAll(async () => {
  await e2e?.close();
  await removeTempDirs();
});

it('opens an image by reference with a platform picker and shows it in the Stage view', async () => {
  const { page } = e2e;
  await page.getByText(/Engine 26\./).waitFor({ timeout: 30_000 });
  await expect(page.getByText('socket /var/run/docker.sock').count()).resolves.toBe(1);
  // The folder has no Dockerfile: the welcome view offers images instead.
  await page.getByRole('button', { name: 'Inspect an image…' }).click();
  await page.getByLabel('Image', { exact: true }).fill(`oci:${layout}:multi`);
  await page.getByRole('button', { name: 'Open image', exact: true }).click();
  const picker = page.getByLabel('Platform');
  await picker.waitFor();
  await expect(picker.locator('option').allTextContents()).resolves.toEqual(['linux/amd64', 'linux/arm64/v8']);
  await picker.selectOption('linux/arm64/v8');
  await page.getByRole('button', { name: 'Open this platform' }).click();
  const name = `oci:${layout}:multi (linux/arm64/v8)`;
  await page.getByRole('region', { name: 'Layers' }).getByText(name, { exact: true }).waitFor({ timeout: 30_000 });
  const tree = page.getByRole('tree', { name: `Files of ${name}` });
  await page.getByRole('searchbox', { name: /Filter/ }).fill('/bin/busybox');
  const busybox = tree.getByRole('treeitem', { name: 'busybox', exact: true });
  await busybox.waitFor();
  // Not in the engine, yet previewed (read from its layer in the layout) and extractable.
  await busybox.click();
  const preview = page.getByRole('region', { name: 'File preview' });
  await preview.getByText('Binary content (hex):').waitFor({ timeout: 30_000 });
  await expect(preview.getByLabel('File content').textContent()).resolves.toMatch(/^00000000 {2}7f 45 4c 46 /);
  await expect(preview.getByRole('link', { name: /Extract/ }).count()).resolves.toBe(1);
  await screenshot(page, 'open-image');
  expect(pageProblems(page)).toEqual([]);
});

it('diffs an opened image against another one (an engine image against the OCI layout)', async () => {
  const { page } = e2e;
  await page.getByRole('button', { name: 'Open image…' }).click();
  await page.getByLabel('Image', { exact: true }).fill(BASE_IMAGES.assets);
  await page.getByRole('button', { name: 'Open image', exact: true }).click();
  await page
    .getByRole('region', { name: 'Opened images' })
    .getByRole('button', { name: new RegExp(`^image ${BASE_IMAGES.assets} on unix://`) })
    .waitFor({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Diff' }).click();
  // Opening it made it the "to" side, against the image opened before.
  await page.getByLabel('list').click();
  const diff = page.getByRole('list', { name: 'Changed files' });
  await diff.getByRole('button', { name: 'added /assets/LICENSE.txt' }).waitFor({ timeout: 30_000 });
  await screenshot(page, 'open-image-diff');
});

it('previews a text file of a docker save archive, read from its layer', async () => {
  const { page } = e2e;
  await page.getByRole('button', { name: 'Open image…' }).click();
  await page.getByLabel('Image', { exact: true }).fill(archive);
  await page.getByRole('button', { name: 'Open image', exact: true }).click();
  await page
    .getByRole('region', { name: 'Opened images' })
    .getByRole('button', { name: new RegExp(`^image ${archive.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `) })
    .waitFor({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Stage' }).click();
  const tree = page.getByRole('tree', { name: `Files of ${archive}` });
  await tree.waitFor({ timeout: 30_000 });
  await page.getByRole('searchbox', { name: /Filter/ }).fill('LICENSE.txt');
  await tree.getByRole('treeitem', { name: 'LICENSE.txt', exact: true }).click();
  const preview = page.getByRole('region', { name: 'File preview' });
  await expect(preview.getByLabel('File content').textContent({ timeout: 30_000 })).resolves.toBe(ASSETS_FILES['/assets/LICENSE.txt']);
  await screenshot(page, 'open-image-archive-preview');
  expect(pageProblems(page)).toEqual([]);
});

it('a reference that does not exist is one sentence in place', async () => {
  const { page } = e2e;
  await page.getByRole('button', { name: 'Open image…' }).click();
  await page.getByLabel('Image', { exact: true }).fill(`oci:${layout}:nope`);
  await page.getByRole('button', { name: 'Open image', exact: true }).click();
  await page.getByText('has no image tagged "nope"; it has multi.', { exact: false }).waitFor();
  await screenshot(page, 'open-image-error');
});
