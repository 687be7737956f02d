// What the app shows must be the truth about this project and this build (a step's status and
// time, a cancel, stage states, a restored build, another project's state, a failure's lines),
// in Chromium on the real engine: a slow step really run then cancelled, a reload, a
// second project with a failing RUN, a target that is not the last stage, a host restart.
// Each view is screenshot at 1440x900 and 1024x700 into test-artifacts/trust-*.png.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../electron/web/index.ts';
import { openProject } from '../../electron/core/project/session.ts';
import { engineStatus } from '../../electron/core/project/engine-status.ts';
import { RENDERER_DIR } from '../../electron/cli/serve.ts';
import { fixtureDir } from '../support/fixtures.ts';
import { cleanupFixture } from '../integration/harness.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

let e2e: E2E;
let stateDir = '';
let restarted: WebHost | null = null;
const runId = `${process.pid}-${Date.now()}`;

/** The view as it is, at both common laptop sizes (1440x900 and 1024x700). */
async function shots(page: Page, name: string): Promise<void> {
  await screenshot(page, `trust-${name}-1440`);
  await page.setViewportSize({ width: 1024, height: 700 });
  await screenshot(page, `trust-${name}-1024`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function openFolder(page: Page, path: string): Promise<void> {
  await page.locator('#folder').fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.locator('#dockerfile').waitFor();
}

async function build(page: Page, opts: { runId?: string; wait?: boolean } = {}): Promise<void> {
  if (opts.runId) {
    const summary = page.locator('details.args summary');
    if ((await page.locator('details.args').getAttribute('open')) === null) await summary.click();
    if ((await page.getByLabel('Build arg 1 name').count()) === 0) await page.getByRole('button', { name: 'Add build arg' }).click();
    await page.getByLabel('Build arg 1 name').fill('RUN_ID');
    await page.getByLabel('Build arg 1 value').fill(opts.runId);
  }
  await page.getByRole('button', { name: /^Build$/ }).click();
  await page
    .getByRole('button', { name: 'Cancel build' })
    .waitFor({ timeout: 30_000 })
    .catch(() => undefined);
  if (opts.wait !== false) await page.getByRole('button', { name: /^Build$/ }).waitFor({ timeout: 240_000 });
}

const progress = (page: Page) => page.getByRole('region', { name: 'Build progress' });
const stepRow = (page: Page, text: RegExp) => progress(page).locator('li.step').filter({ hasText: text });

function seconds(text: string): number {
  const m = /(\d+(?:\.\d+)?) s\b/.exec(text) ?? /(\d+)m (\d+)s/.exec(text);
  if (!m) return 0;
  return m.length === 3 ? Number(m[1]) * 60 + Number(m[2]) : Number(m[1]);
}

describe('what the app shows is the truth about this project and this build', () => {
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'stagescope-e2e-state-'));
    e2e = await startE2E(fixtureDir('slow-step'), { stateDir });
    await e2e.page.getByText(/Engine 26\./).waitFor({ timeout: 30_000 });
    await e2e.page.locator('#dockerfile').waitFor();
  });
  afterAll(async () => {
    await restarted?.close();
    await e2e?.close();
    for (const f of ['slow-step', 'failing', 'target'] as const) await cleanupFixture(f);
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps the real status and time of a step that ran, after the follow-up cache-hit builds (2)', async () => {
    const { page } = e2e;
    await build(page, { runId: `a-${runId}` });
    const row = stepRow(page, /sleep 22/);
    await expect(row.locator('.status').innerText()).resolves.toBe('done');
    expect(seconds(await row.locator('.dur').innerText())).toBeGreaterThanOrEqual(20);
    await shots(page, '01-build-done');
  });

  it('cancel is neutral, keeps the steps, and the stage states agree with where images come from (4, 5)', async () => {
    const { page } = e2e;
    await build(page, { runId: `b-${runId}`, wait: false });
    await stepRow(page, /sleep 22/)
      .locator('.status', { hasText: 'running' })
      .waitFor({ timeout: 60_000 });
    await page.waitForTimeout(2500);
    await page.getByRole('button', { name: 'Cancel build' }).click();
    await page.getByRole('button', { name: /^Build$/ }).waitFor({ timeout: 60_000 });
    const heading = progress(page).locator('header');
    await expect(heading.innerText()).resolves.toMatch(/^Cancelled after \d/);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await expect(page.getByText('Build cancelled').count()).resolves.toBe(0);
    const stopped = stepRow(page, /sleep 22/);
    await expect(stopped.locator('.status').innerText()).resolves.toBe('stopped');
    expect(seconds(await stopped.locator('.dur').innerText())).toBeGreaterThanOrEqual(2);
    // Both stages show the images of the build that finished earlier, and say so.
    const states = await page.locator('g.node.stage').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
    expect(states).toEqual(['built', 'built']);
    await page.getByRole('tab', { name: 'Stage' }).click();
    await page.getByText(/image from the earlier build at \d\d:\d\d/).waitFor();
    await page.getByRole('tab', { name: 'Build' }).click();
    await shots(page, '02-cancelled');
  });

  it('a reload keeps the last build: its steps, its log, how it ended (6)', async () => {
    const { page } = e2e;
    await page.reload();
    await progress(page)
      .locator('header')
      .getByText(/Earlier build: cancelled after/)
      .waitFor({ timeout: 30_000 });
    await expect(
      stepRow(page, /sleep 22/)
        .locator('.status')
        .innerText(),
    ).resolves.toBe('stopped');
    await expect(page.getByRole('region', { name: 'Build progress' }).getByLabel('Build log').innerText()).resolves.toContain(
      `slow step b-${runId} starting`,
    );
    await shots(page, '03-reloaded');
  });

  it('another project shows only its own state; its failure is explained in every view (1, 3, 18)', async () => {
    const { page } = e2e;
    await openFolder(page, fixtureDir('failing'));
    await page.getByRole('button', { name: 'broken', exact: true }).waitFor();
    await expect(progress(page).innerText()).resolves.not.toContain('sleep 22');
    await expect(progress(page).innerText()).resolves.toContain('No build yet');
    const states = await page.locator('g.node.stage').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
    expect(states).toEqual(['not built', 'not built', 'not built']);
    await shots(page, '04-other-project');

    await build(page);
    const card = page.getByRole('alert');
    await expect(card.count()).resolves.toBe(1);
    await expect(card.innerText()).resolves.toContain('Stage broken failed at line 6');
    const around = card.getByRole('list', { name: 'Dockerfile around line 6' });
    await expect(around.locator('[aria-current="true"]').innerText()).resolves.toContain('STAGESCOPE_FIXTURE_FAILURE');
    await expect(around.getByRole('listitem').count()).resolves.toBeGreaterThanOrEqual(5);
    // The failing command is shown once in the card.
    expect((await card.innerText()).split('STAGESCOPE_FIXTURE_FAILURE: intentional" >&2').length - 1).toBe(1);
    await shots(page, '05-failure-card');

    // `ok` built and stays inspectable; the final stage says why it is not there.
    await page.getByRole('button', { name: 'ok', exact: true }).click();
    await page.getByRole('tab', { name: 'Stage' }).click();
    await page.getByRole('tree').getByRole('treeitem', { name: 'ok.txt', exact: true }).waitFor();
    await page.getByRole('button', { name: 'stage-2', exact: true }).click();
    await page
      .getByRole('note')
      .getByText(/Stage stage-2 is not available: it needs stage broken, which failed at line 6/)
      .waitFor();
    await shots(page, '06-stage-unavailable');

    await page.getByRole('tab', { name: 'Sizes' }).click();
    await page
      .getByRole('note')
      .getByText(/No final image/)
      .waitFor();
    await expect(page.getByText('Loading…').count()).resolves.toBe(0);
    await expect(page.getByText(/Final image .*0 B/).count()).resolves.toBe(0);
    await shots(page, '07-sizes-failed');

    await page.getByRole('tab', { name: 'COPY --from' }).click();
    await page
      .getByRole('note')
      .getByText(/COPY --from of stage-2 is not available/)
      .waitFor();
    await shots(page, '08-copies-failed');

    await page.getByRole('tab', { name: 'Diff' }).click();
    const note = page.getByRole('note');
    await note.getByText(/Fewer than two stages/).waitFor();
    await shots(page, '09-diff-failed');
    await note.getByRole('button', { name: 'Show the failure' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'build-failure');
    await expect(page.getByRole('tab', { name: 'Build' }).getAttribute('aria-selected')).resolves.toBe('true');
  });

  it('COPY --from with a target that is not the last stage; a folder on one side only in the diff tree (7, 8)', async () => {
    const { page } = e2e;
    await openFolder(page, fixtureDir('target'));
    await page.getByRole('button', { name: 'build', exact: true }).waitFor();
    await page.locator('#target').selectOption('build');
    await build(page);
    await page.getByRole('tab', { name: 'COPY --from' }).click();
    await page.getByText('The target build includes no COPY --from; final (not built) has 1.').waitFor();
    await shots(page, '10-copies-target');

    await page.locator('#target').selectOption('');
    await page.getByRole('checkbox', { name: 'all stages' }).check();
    await build(page);
    await page.getByRole('tab', { name: 'Diff' }).click();
    await page.getByRole('combobox', { name: 'Diff from stage' }).selectOption({ label: 'deps' });
    await page.getByRole('combobox', { name: 'Diff to stage' }).selectOption({ label: 'final' });
    const deps = page.getByRole('tree', { name: 'Changed files' }).getByRole('treeitem', { name: 'deps', exact: true });
    await deps.waitFor();
    await expect(deps.getAttribute('class')).resolves.toContain('change-removed');
    await shots(page, '11-diff-one-side');
  });

  it('opening a project again shows its earlier build, marked with its time (1)', async () => {
    const { page } = e2e;
    await openFolder(page, fixtureDir('slow-step'));
    await page.getByRole('tab', { name: 'Build' }).click();
    await progress(page)
      .locator('header')
      .getByText(/Earlier build: cancelled after/)
      .waitFor({ timeout: 30_000 });
    await expect(progress(page).locator('header').innerText()).resolves.toMatch(/at \d\d:\d\d/);
    await shots(page, '12-reopened');
    expect(pageProblems(page)).toEqual([]);
  });

  it('a restart of the host keeps the recent projects and the last build (6)', async () => {
    const { page } = e2e;
    await e2e.host.close();
    restarted = await startWebHost({ staticDir: RENDERER_DIR, openSession: (r) => openProject(r), engineStatus, stateDir });
    await page.goto(restarted.url);
    // The browser host reopens the newest recent project: slow-step, opened last.
    await page.locator('#dockerfile').waitFor({ timeout: 30_000 });
    await expect(page.locator('#folder').inputValue()).resolves.toBe(fixtureDir('slow-step'));
    // The folder field offers the recent projects when focused.
    await page.locator('#folder').focus();
    const options = await page.getByRole('listbox', { name: 'Recent projects' }).getByRole('option').allInnerTexts();
    expect(options).toEqual([fixtureDir('slow-step'), fixtureDir('target'), fixtureDir('failing')]);
    await progress(page)
      .locator('header')
      .getByText(/Earlier build: cancelled after/)
      .waitFor({ timeout: 30_000 });
    await expect(progress(page).getByLabel('Build log').innerText()).resolves.toContain(`slow step b-${runId} starting`);
    await shots(page, '13-restarted');
  });
});
