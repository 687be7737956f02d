// The app as a user sees it: open the Go hello project, build it on the real engine, and walk
// through every view. Each view is screenshot into test-artifacts/ to be looked at.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../support/fixtures.ts';
import { cleanupFixture } from '../integration/harness.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

let e2e: E2E;

describe('StageScope in the browser', () => {
  beforeAll(async () => {
    e2e = await startE2E(fixtureDir('go-hello'));
  });
  afterAll(async () => {
    await e2e?.close();
    await cleanupFixture('go-hello');
  });

  it('opens the project, builds it and shows every stage in the graph', async () => {
    const { page } = e2e;
    await page.getByText(/Engine 26\./).waitFor({ timeout: 30_000 });
    const dockerfile = page.locator('#dockerfile');
    await dockerfile.waitFor();
    if ((await dockerfile.inputValue()) !== 'Dockerfile') await dockerfile.selectOption('Dockerfile');
    await page.getByRole('button', { name: 'build', exact: true }).waitFor();
    await screenshot(page, '01-project-opened');
    await page.getByRole('button', { name: /^Build$/ }).click();
    // Built when both stage nodes say so and the Build button is back.
    await page.getByRole('button', { name: /^Build$/ }).waitFor({ timeout: 240_000 });
    await page.getByRole('tab', { name: 'Build' }).click();
    await screenshot(page, '02-build');
    for (const name of ['build', 'stage-1']) await expect(page.getByRole('button', { name, exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
  });

  it('selects the final stage and finds the binary in its tree', async () => {
    const { page } = e2e;
    await page.getByRole('button', { name: 'stage-1', exact: true }).click();
    await page.getByRole('tab', { name: 'Stage' }).click();
    const tree = page.getByRole('tree');
    await tree.getByRole('treeitem', { name: 'bin', exact: true }).waitFor();
    const bin = tree.getByRole('treeitem', { name: 'bin', exact: true });
    if ((await bin.getAttribute('aria-expanded')) !== 'true') await bin.click();
    await tree.getByRole('treeitem', { name: 'hello', exact: true }).waitFor();
    await screenshot(page, '03-stage-final-tree');
  });

  it('previews a text file of the builder and filters its tree', async () => {
    const { page } = e2e;
    await page.getByRole('button', { name: 'build', exact: true }).click();
    await page.getByRole('searchbox', { name: /Filter/ }).fill('/src/main.go');
    const item = page.getByRole('tree').getByRole('treeitem', { name: 'main.go', exact: true });
    await item.waitFor();
    await item.click();
    const preview = page.getByRole('region', { name: 'File preview' });
    await preview.getByText('hello from stagescope').waitFor();
    await screenshot(page, '04-preview-text');
  });

  it('extracts a file as a download with the same bytes', async () => {
    const { page } = e2e;
    const preview = page.getByRole('region', { name: 'File preview' });
    const [download] = await Promise.all([page.waitForEvent('download'), preview.getByRole('link', { name: /Extract|Download/ }).or(preview.getByRole('button', { name: /Extract|Download/ })).first().click()]);
    const path = await download.path();
    const text = await readFile(path!, 'utf8');
    expect(text).toContain('hello from stagescope');
    expect(download.suggestedFilename()).toBe('main.go');
  });

  it('diffs the builder against the final stage', async () => {
    const { page } = e2e;
    await page.getByRole('tab', { name: 'Diff' }).click();
    await page.getByRole('combobox', { name: 'Diff from stage' }).selectOption({ label: 'build' });
    await page.getByRole('combobox', { name: 'Diff to stage' }).selectOption({ label: 'stage-1' });
    // Big diffs open as a tree with top folders collapsed: expand /bin to reach the binary.
    const changed = page.getByRole('tree', { name: 'Changed files' });
    await changed.getByRole('treeitem', { name: 'bin', exact: true }).first().click();
    await changed.getByRole('treeitem', { name: 'hello', exact: true }).waitFor();
    await screenshot(page, '05-diff-tree');
    await page.getByLabel('list').click();
    await page.getByRole('list', { name: 'Changed files' }).getByRole('button', { name: 'added /bin/hello' }).waitFor();
    const totals = await page.getByLabel('Diff totals').innerText();
    expect(totals).toMatch(/removed/);
    await screenshot(page, '05-diff');
  });

  it('shows the binary in the COPY --from panel', async () => {
    const { page } = e2e;
    await page.getByRole('tab', { name: 'COPY --from' }).click();
    const panel = page.getByRole('region', { name: 'COPY --from' });
    await panel.getByText('/bin/hello').first().waitFor();
    await panel.getByText('/out/hello').first().waitFor();
    await screenshot(page, '06-copies');
  });

  it('shows the final image smaller than the builder in the size chart', async () => {
    const { page } = e2e;
    await page.getByRole('tab', { name: 'Sizes' }).click();
    const chart = page.getByRole('img', { name: /size/i }).first();
    await chart.waitFor();
    const label = (await chart.getAttribute('aria-label')) ?? '';
    const size = (name: string) => {
      const m = new RegExp(`${name} ([\\d.]+) (B|kB|MB|GB)`).exec(label);
      if (!m) throw new Error(`no size for ${name} in "${label}"`);
      return Number(m[1]) * { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[m[2] as 'B']!;
    };
    expect(size('stage-1')).toBeLessThan(size('build'));
    await screenshot(page, '07-sizes');
    expect(pageProblems(page)).toEqual([]);
  });
});
