// The Checks view in Chromium on the real engine: a project with a .stagescope.yml whose final
// stage is over budget and whose key was removed in the RUN after the one that wrote it. After
// the build the view lists the failures first, the graph badges the stages, and a line link
// opens the layer in the stage view.
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { removeProjectImages, writeProject } from '../integration/check/projects.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

const DOCKERFILE = `FROM stagescope-test/busybox:1 AS builder
RUN mkdir -p /out && echo hello > /out/app

FROM stagescope-test/busybox:1
RUN mkdir -p /root/.ssh && echo not-a-key > /root/.ssh/id_rsa
RUN rm /root/.ssh/id_rsa
COPY --from=builder /out/app /app
`;
const CONFIG = 'final:\n  maxSize: 1MB\n  require: ["/app"]\nstages:\n  builder: { maxSize: 1GB }\n';

let e2e: E2E;
let dir = '';

describe('Checks view in the browser', () => {
  beforeAll(async () => {
    dir = join(await makeTempDir('stagescope-e2e-checks-'), 'project');
    await writeProject(dir, DOCKERFILE, { '.stagescope.yml': CONFIG });
    e2e = await startE2E(dir);
  });
  afterAll(async () => {
    await e2e?.close();
    if (dir) await removeProjectImages(resolve(dir, 'Dockerfile'));
    await removeTempDirs();
  });

  it('builds, lists the failed checks first and badges the stages in the graph', async () => {
    const { page } = e2e;
    await page.getByText(/Engine 26\./).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'builder', exact: true }).waitFor();
    await page.getByRole('button', { name: /^Build$/ }).click();
    await page.getByRole('tab', { name: 'Checks' }).click();
    const region = page.getByRole('region', { name: 'Checks' });
    await region.getByText('✗ Checks failed').waitFor({ timeout: 240_000 });
    const rows = region.getByRole('table', { name: 'Failed checks' }).locator('tbody tr');
    await expect(rows.first().getAttribute('data-rule')).resolves.toBe('maxSize');
    const rules = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-rule')));
    expect(rules).toEqual(expect.arrayContaining(['maxSize', 'secrets-in-layers', 'hidden-by-rm']));
    await expect(region.getByText('BuildKit checks: not available on this engine', { exact: false }).count()).resolves.toBe(1);
    await page.getByRole('img', { name: 'Checks of stage-1: 1 check failed' }).waitFor();
    await page.getByRole('img', { name: 'Checks of builder: checks passed' }).waitFor();
    await screenshot(page, '08-checks');
    expect(pageProblems(page)).toEqual([]);
  });

  it('a line link opens the layer that line made in the stage view', async () => {
    const { page } = e2e;
    const region = page.getByRole('region', { name: 'Checks' });
    const secret = region.locator('tr[data-rule="secrets-in-layers"]');
    await expect(secret.innerText()).resolves.toContain('/root/.ssh/id_rsa');
    await expect(secret.innerText()).resolves.not.toContain('not-a-key');
    await secret.getByRole('button', { name: 'line 5' }).click();
    const layers = page.getByRole('region', { name: 'Layers' });
    await layers.getByRole('button', { pressed: true }).filter({ hasText: 'L5' }).waitFor();
    // The removed key is shown in the layer that wrote it (it is gone from the merged image).
    await page.getByRole('tab', { name: 'Checks' }).click();
    await secret.getByRole('button', { name: '/root/.ssh/id_rsa' }).click();
    await layers.getByRole('button', { pressed: true }).filter({ hasText: 'L5' }).waitFor();
    await page.getByRole('tree').getByRole('treeitem', { name: 'id_rsa', exact: true }).waitFor();
    await screenshot(page, '09-checks-layer');
  });
});
