// Build-over-build history in the browser (issue 11), on the real engine: a project built,
// changed (a file moved, one changed, one added) and built again; the graph's size delta
// badges, the "changes since last build" filter, the History panel of a file that came through
// COPY --from, and the Diff view with a snapshot on one side. Screenshots in test-artifacts/.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../support/fixtures.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { engine } from '../integration/harness.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

let e2e: E2E;
let dir = '';
const savedCacheDir = process.env.STAGESCOPE_CACHE_DIR;

async function buildInUi() {
  const { page } = e2e;
  await page.getByRole('button', { name: /^Build$/ }).click();
  await page.getByRole('button', { name: /^Build$/ }).waitFor({ timeout: 240_000 });
  await page.getByRole('button', { name: 'final', exact: true }).locator('text', { hasText: /built/ }).waitFor();
}

describe('history in the browser', () => {
  beforeAll(async () => {
    dir = await makeTempDir();
    // A store of this test's own: the host runs in this process.
    process.env.STAGESCOPE_CACHE_DIR = await makeTempDir('stagescope-e2e-history-cache-');
    await cp(fixtureDir('history'), dir, { recursive: true });
    e2e = await startE2E(dir);
  });
  afterAll(async () => {
    await e2e?.close();
    const { docker } = await engine();
    const images = await docker.listImages({
      filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`] },
    });
    for (const img of images)
      await docker
        .getImage(img.Id)
        .remove({ force: true })
        .catch(() => undefined);
    await removeTempDirs();
    process.env.STAGESCOPE_CACHE_DIR = savedCacheDir;
  });

  it('builds, changes the project, builds again and shows size delta badges in the graph', async () => {
    const { page } = e2e;
    await page.getByText(/Engine 26\./).waitFor({ timeout: 30_000 });
    await page.locator('#dockerfile').waitFor();
    await buildInUi();
    await expect(page.locator('text.delta').count()).resolves.toBe(0);
    const dockerfile = join(dir, 'Dockerfile');
    const text = await readFile(dockerfile, 'utf8');
    await writeFile(
      dockerfile,
      text.replace('/usr/bin/hello /usr/bin/hello', '/usr/bin/hello /bin/hello').replace('cache-v1', 'cache-version-2') +
        'COPY notes.txt /etc/notes.txt\n',
    );
    await writeFile(join(dir, 'notes.txt'), 'some notes\n');
    await buildInUi();
    const final = page.getByRole('button', { name: 'final', exact: true });
    await final.locator('text.delta').waitFor();
    expect(await final.locator('text.delta').getAttribute('data-delta')).toMatch(/^\d+$/);
    expect(Number(await final.locator('text.delta').getAttribute('data-delta'))).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'builder', exact: true }).locator('text.delta').waitFor();
    await screenshot(page, 'history-01-graph-delta-badges');
  });

  it('filters the tree to the changes since the last build and traces /bin/hello in the History panel', async () => {
    const { page } = e2e;
    await page.getByRole('button', { name: 'final', exact: true }).click();
    await page.getByRole('tab', { name: 'Stage' }).click();
    await page.getByLabel('changes since last build').check();
    const since = page.getByRole('region', { name: 'Changes since last build' });
    await since.getByRole('button', { name: '/etc/notes.txt' }).waitFor();
    await expect(since.getByText('from /usr/bin/hello').count()).resolves.toBe(1);
    await since.getByRole('button', { name: '/bin/hello' }).click();
    const history = page.getByRole('region', { name: 'File history' });
    await history.getByRole('button', { name: 'added in builder, layer 4, line 4' }).waitFor();
    await history.getByRole('button', { name: 'added in final, layer 2, line 7' }).waitFor();
    await expect(history.getByText('/usr/bin/hello', { exact: true }).count()).resolves.toBe(1);
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, 'history-02-since-last-build-and-history-panel');
    await history.getByRole('button', { name: 'added in builder, layer 4, line 4' }).click();
    await expect(page.getByRole('region', { name: 'Layers' }).getByRole('button', { pressed: true }).innerText()).resolves.toMatch(/^L4 /);
  });

  it('diffs the final stage now against the final stage of the previous build', async () => {
    const { page } = e2e;
    await page.getByRole('tab', { name: 'Diff' }).click();
    await page.getByRole('combobox', { name: 'Diff from stage' }).selectOption({ label: 'final' });
    await page.getByRole('combobox', { name: 'Diff to stage' }).selectOption({ label: 'final' });
    const source = page.getByRole('combobox', { name: 'Diff from source' });
    await expect.poll(() => source.locator('option').count()).toBeGreaterThan(1);
    await source.selectOption({ index: 1 });
    const totals = page.getByLabel('Diff totals');
    await totals.getByText('→ 1 moved').waitFor();
    await expect(totals.innerText()).resolves.toMatch(/\+ 1 added/);
    await page.getByText('Moved (same content, new path)').click();
    await page.getByRole('list', { name: 'Moved files' }).getByText('/bin/hello', { exact: true }).waitFor();
    await screenshot(page, 'history-03-diff-with-snapshot');
    expect(pageProblems(page)).toEqual([]);
  });
});
