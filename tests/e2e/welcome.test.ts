// First launch in Chromium on the browser host started without a folder: the welcome view, its
// path field completing real folders from the host (keyboard only), a folder without a
// Dockerfile as an empty state, then a real project. Screenshots at 1440x900 and 1024x700 go
// to test-artifacts/welcome-*.png.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

let e2e: E2E;
let root = '';

async function shots(page: Page, name: string): Promise<void> {
  await screenshot(page, `welcome-${name}-1440`);
  await page.setViewportSize({ width: 1024, height: 700 });
  await screenshot(page, `welcome-${name}-1024`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

const field = (page: Page) => page.getByRole('combobox', { name: 'Project folder' });
const folderOptions = (page: Page) => page.getByRole('listbox', { name: 'Folders' }).getByRole('option');

beforeAll(async () => {
  root = await makeTempDir('stagescope-welcome-');
  await mkdir(join(root, 'projects/alpha'), { recursive: true });
  await mkdir(join(root, 'projects/beta'), { recursive: true });
  await mkdir(join(root, 'music'));
  await writeFile(join(root, 'projects/alpha/Dockerfile'), 'FROM scratch AS base\nCOPY a /a\n\nFROM base AS final\nCOPY b /b\n');
  await writeFile(join(root, 'projects/alpha/a'), 'a\n');
  await writeFile(join(root, 'projects/alpha/b'), 'b\n');
  await writeFile(join(root, 'projects/beta/README.md'), 'no Dockerfile here\n');
  e2e = await startE2E(''); // no folder: the first launch
});

afterAll(async () => {
  await e2e?.close();
  await removeTempDirs();
});

describe('welcome view', () => {
  it('opens a folder by typing with completion, says when a folder has no Dockerfile, then opens a project', async () => {
    const { page } = e2e;
    await page.getByRole('heading', { name: 'Open a project' }).waitFor({ timeout: 30_000 });
    await expect(page.getByRole('tablist').count()).resolves.toBe(0);
    await shots(page, 'first-launch');

    await field(page).click();
    await field(page).pressSequentially(join(root, 'pro'));
    await expect.poll(() => folderOptions(page).allInnerTexts()).toEqual([join(root, 'projects')]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(field(page).inputValue()).resolves.toBe(join(root, 'projects') + '/');
    await expect.poll(() => folderOptions(page).allInnerTexts()).toEqual([join(root, 'projects/alpha'), join(root, 'projects/beta')]);
    // The list opens below the field and stays in the window, at both sizes.
    const fieldBox = (await field(page).boundingBox())!;
    const listBox = (await page.getByRole('listbox', { name: 'Folders' }).boundingBox())!;
    expect(listBox.y).toBeGreaterThanOrEqual(fieldBox.y + fieldBox.height);
    expect(listBox.y + listBox.height).toBeLessThanOrEqual(700);
    await shots(page, 'completion');

    // A missing folder is said plainly, under the field.
    await field(page).fill(join(root, 'nope/x'));
    await page.getByText(`The folder ${join(root, 'nope')} does not exist.`).waitFor();

    // beta (Tab takes the only match), then Enter with nothing highlighted opens it.
    await field(page).fill(join(root, 'projects/be'));
    await expect.poll(() => folderOptions(page).allInnerTexts()).toEqual([join(root, 'projects/beta')]);
    await page.keyboard.press('Tab');
    await expect(field(page).inputValue()).resolves.toBe(join(root, 'projects/beta') + '/');
    await page.keyboard.press('Enter');
    const empty = page.getByRole('region', { name: 'No Dockerfile found in this folder' });
    await empty.waitFor({ timeout: 30_000 });
    await expect(empty.innerText()).resolves.toContain('StageScope looks for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile');
    await expect(empty.innerText()).resolves.toContain(join(root, 'projects/beta'));
    await shots(page, 'no-dockerfile');

    // Another folder from the empty state: a real project, its stages in the graph.
    await field(page).fill(join(root, 'projects/alpha'));
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.locator('#dockerfile').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'final', exact: true }).waitFor();
    await expect(page.getByRole('region', { name: 'No Dockerfile found in this folder' }).count()).resolves.toBe(0);
    // The header's field now offers the recent projects.
    await page.locator('#folder').focus();
    await expect
      .poll(() => page.getByRole('listbox', { name: 'Recent projects' }).getByRole('option').allInnerTexts())
      .toEqual([join(root, 'projects/alpha'), join(root, 'projects/beta')]);
    expect(pageProblems(page)).toEqual([]);
  });
});
