// The app as a user sees it: open the Go hello project, build it on the real engine, and walk
// through every view. Each view is screenshot into test-artifacts/ to be looked at.
// The build happens once (beforeAll); every test then opens its own view, stage and file, so
// each runs alone (\`-t\`) and in any order, and asserts with expect (a missing element fails
// with its name, not with a waitFor timeout).
import type { Locator, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../support/fixtures.ts';
import { cleanupFixture } from '../integration/harness.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

let e2e: E2E;

/** Waits until `check` holds; fails naming `what` (also usable in beforeAll, unlike expect.poll). */
async function until(check: () => Promise<boolean>, what: string, timeout = 30_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Expected ${what} within ${timeout / 1000} s.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Fails with `what` unless the locator matches at least one element within `timeout`. */
async function shown(locator: Locator, what: string, timeout = 30_000): Promise<void> {
  await until(async () => (await locator.count()) > 0, `${what} to be shown`, timeout);
}

async function openBuilderFile(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'build', exact: true }).click();
  await page.getByRole('tab', { name: 'Stage' }).click();
  await page.getByRole('searchbox', { name: /Filter/ }).fill('/src/main.go');
  const item = page.getByRole('tree').getByRole('treeitem', { name: 'main.go', exact: true });
  await shown(item, 'main.go in the builder tree');
  await item.click();
  const preview = page.getByRole('region', { name: 'File preview' });
  await shown(preview.getByText('hello from stagescope'), 'the text preview of main.go');
  return preview;
}

describe('StageScope in the browser', () => {
  beforeAll(async () => {
    e2e = await startE2E(fixtureDir('go-hello'));
    const { page } = e2e;
    // Any engine version the README supports: the header shows what the engine reported.
    await shown(page.getByText(/Engine \d+\.\d+/), 'the engine version');
    const dockerfile = page.locator('#dockerfile');
    await shown(dockerfile, 'the Dockerfile picker');
    if ((await dockerfile.inputValue()) !== 'Dockerfile') await dockerfile.selectOption('Dockerfile');
    await shown(page.getByRole('button', { name: 'build', exact: true }), 'the build stage node');
    await screenshot(page, '01-project-opened');
    await page.getByRole('button', { name: /^Build$/ }).click();
    // Built when no stage says "not built" any more and the Build button is back.
    await until(async () => (await page.getByText('not built', { exact: true }).count()) === 0, 'every stage built', 240_000);
    // "not built" is gone as soon as the stages say "building": the go build itself can take
    // well over 30 s on a busy machine.
    await shown(page.getByRole('button', { name: /^Build$/ }), 'the Build button after the build', 240_000);
  }, 600_000);
  afterAll(async () => {
    await e2e?.close();
    await cleanupFixture('go-hello');
  });

  it('builds the project and shows every stage in the graph', async () => {
    const { page } = e2e;
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
    const bin = tree.getByRole('treeitem', { name: 'bin', exact: true });
    await shown(bin, '/bin in the final stage tree');
    if ((await bin.getAttribute('aria-expanded')) !== 'true') await bin.click();
    const hello = tree.getByRole('treeitem', { name: 'hello', exact: true });
    await shown(hello, '/bin/hello in the final stage tree');
    // The keyboard walks the recycled rows: Left collapses, Right expands, Down selects the child.
    const active = () => page.evaluate(() => document.activeElement?.getAttribute('data-path'));
    await bin.focus();
    await page.keyboard.press('ArrowLeft');
    await until(async () => (await hello.count()) === 0, '/bin collapsed by ArrowLeft');
    await expect(bin.getAttribute('aria-expanded')).resolves.toBe('false');
    await page.keyboard.press('ArrowRight');
    await shown(hello, '/bin/hello after ArrowRight');
    await page.keyboard.press('ArrowDown');
    await until(async () => (await active()) === '/bin/hello', 'focus on /bin/hello after ArrowDown');
    await expect(hello.getAttribute('aria-selected')).resolves.toBe('true');
    await expect(hello.getAttribute('aria-level')).resolves.toBe('2');
    await expect(bin.getAttribute('aria-selected')).resolves.toBe('false');
    await screenshot(page, '03-stage-final-tree');
  });

  it('jumps far in the expanded builder tree: rows drawn in place, focus follows its row', async () => {
    const { page } = e2e;
    await page.getByRole('button', { name: 'build', exact: true }).click();
    await page.getByRole('tab', { name: 'Stage' }).click();
    await page.getByRole('searchbox', { name: /Filter/ }).fill('');
    await page.getByRole('button', { name: 'Expand all', exact: true }).click();
    const tree = page.getByRole('tree', { name: 'Files of build' });
    const rowsOf = () => tree.evaluate((el) => Math.round(el.scrollHeight / 24));
    // The Go toolchain: thousands of rows once every folder is open.
    await until(async () => (await rowsOf()) > 5000, 'the expanded builder tree');
    // Focused without a click (a click on a folder would collapse it).
    const first = tree.locator('[role="treeitem"][data-index="1"]');
    await first.focus();
    const path = await first.getAttribute('data-path');
    const active = () =>
      page.evaluate(() => ({
        path: document.activeElement?.getAttribute('data-path'),
        role: document.activeElement?.getAttribute('role'),
      }));
    await expect(active()).resolves.toEqual({ path, role: 'treeitem' });
    // A scrollbar drag to 60 %: every row in view arrives and sits at its own offset.
    await tree.evaluate((el) => (el.scrollTop = Math.round((el.scrollHeight - el.clientHeight) * 0.6)));
    const view = () =>
      tree.evaluate((el) => {
        const top = el.getBoundingClientRect().top;
        const rows = [...el.querySelectorAll<HTMLElement>('.row:not([hidden])')]
          .map((r) => ({
            y: r.getBoundingClientRect().top - top,
            index: r.dataset.index,
            name: r.getAttribute('aria-label'),
            waiting: r.classList.contains('placeholder'),
          }))
          .filter((r) => r.y > -24 && r.y < el.clientHeight)
          .sort((a, b) => a.y - b.y);
        return { rows, focusedRows: el.querySelectorAll('.row:focus').length };
      });
    await until(async () => (await view()).rows.every((r) => !r.waiting), 'the rows at 60 % to arrive');
    const { rows, focusedRows } = await view();
    expect(rows.length).toBeGreaterThan(10);
    for (let k = 1; k < rows.length; k++) {
      expect(rows[k].y - rows[k - 1].y, `${rows[k - 1].name} then ${rows[k].name}`).toBeCloseTo(24, 0);
      expect(Number(rows[k].index)).toBe(Number(rows[k - 1].index) + 1);
    }
    expect(rows.every((r) => r.name)).toBe(true);
    // The focused row left the view: no recycled element keeps the focus (or its ring).
    expect(focusedRows).toBe(0);
    await expect(active()).resolves.toEqual({ path: null, role: 'tree' });
    await screenshot(page, '04-tree-far-jump');
    // Back at the top, focus is on the element that shows the focused row again.
    await tree.evaluate((el) => (el.scrollTop = 0));
    await until(async () => (await active()).path === path, `focus back on ${path}`);
    await page.getByRole('button', { name: 'Collapse all', exact: true }).click();
  });

  it('previews a text file of the builder and filters its tree', async () => {
    await openBuilderFile(e2e.page);
    await screenshot(e2e.page, '04-preview-text');
  });

  it('extracts a file as a download with the same bytes', async () => {
    const { page } = e2e;
    const preview = await openBuilderFile(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      preview
        .getByRole('link', { name: /Extract|Download/ })
        .or(preview.getByRole('button', { name: /Extract|Download/ }))
        .first()
        .click(),
    ]);
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
    await shown(changed.getByRole('treeitem', { name: 'hello', exact: true }), '/bin/hello in the changed-files tree');
    await screenshot(page, '05-diff-tree');
    await page.getByLabel('list').click();
    await shown(
      page.getByRole('list', { name: 'Changed files' }).getByRole('button', { name: 'added /bin/hello' }),
      'added /bin/hello in the list',
    );
    // The builder's toolchain is gone in the final stage: a count above zero, not just the word.
    const totals = await page.getByLabel('Diff totals').innerText();
    const removed = /([\d,]+) removed/.exec(totals);
    expect(removed, totals).not.toBeNull();
    expect(Number(removed![1].replace(/,/g, ''))).toBeGreaterThan(0);
    await screenshot(page, '05-diff');
  });

  it('shows the binary in the COPY --from panel', async () => {
    const { page } = e2e;
    await page.getByRole('tab', { name: 'COPY --from' }).click();
    const panel = page.getByRole('region', { name: 'COPY --from' });
    await shown(panel.getByText('/bin/hello'), '/bin/hello in the COPY --from panel');
    await shown(panel.getByText('/out/hello'), '/out/hello in the COPY --from panel');
    await screenshot(page, '06-copies');
  });

  it('shows the final image smaller than the builder in the size chart', async () => {
    const { page } = e2e;
    await page.getByRole('tab', { name: 'Sizes' }).click();
    const chart = page.getByRole('img', { name: /size/i }).first();
    await shown(chart, 'the size chart');
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
