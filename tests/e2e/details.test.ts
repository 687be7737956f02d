// The details dive and Docker Desktop users expect, in Chromium on the real engine: the file
// tree's columns and filter totals, layers named by origin with a details pane, the Sizes view
// (saving, legend, roles, a 2-file image, click-through to the tree), one number style, and
// contrast / minimum text size. Screenshots go to test-artifacts/details-*.png.
import type { Locator, Page } from 'playwright-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../electron/core/docker/connection.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

// deps feeds builder (FROM deps); unused is not needed; the final image holds 2 files.
const DOCKERFILE = `FROM stagescope-test/busybox:1 AS deps
RUN mkdir -p /app && echo dep > /app/dep.txt
FROM deps AS builder
RUN echo built > /app/out.txt && chmod 4755 /app/out.txt
FROM deps AS unused
RUN echo x > /x
FROM scratch
COPY --from=builder /app/out.txt /app/out.txt
COPY --from=builder /app/dep.txt /app/dep.txt
`;

let e2e: E2E;
let dir: string;

async function until(check: () => Promise<boolean>, what: string, timeout = 30_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Expected ${what} within ${timeout / 1000} s.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const shown = (l: Locator, what: string, timeout = 30_000) => until(async () => (await l.count()) > 0, `${what} to be shown`, timeout);

async function openStage(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
  await page.getByRole('tab', { name: 'Stage' }).click();
  await shown(page.getByRole('tree', { name: `Files of ${name}` }), `the tree of ${name}`);
}

/** Every visible element with its own text: its computed font size in px. */
function smallText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
      if (!own || el.closest('[aria-hidden="true"], title, option')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < 12)
        out.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} "${el.textContent!.trim().slice(0, 30)}" ${px}px`);
    }
    return out;
  });
}

describe('details: tree columns, layers, sizes, numbers, contrast', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stagescope-e2e-details-'));
    await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
    e2e = await startE2E(dir);
    const { page } = e2e;
    await shown(page.locator('#dockerfile'), 'the Dockerfile picker');
    await shown(page.getByRole('button', { name: 'builder', exact: true }), 'the builder node');
    await page.getByRole('button', { name: /^Build$/ }).click();
    const final = page.getByRole('button', { name: 'stage-3', exact: true });
    await until(async () => (await final.getAttribute('data-state')) === 'built', 'the final stage built', 240_000);
    await shown(page.getByRole('button', { name: /^Build$/ }), 'the Build button after the build');
  }, 600_000);
  afterAll(async () => {
    await e2e?.close();
    const c = await connectEngine();
    const images = await c.docker.listImages({ filters: { label: [`${MANAGED_LABEL}=true`, PROJECT_LABEL] } });
    for (const img of images.filter((i) => (i.Labels?.[PROJECT_LABEL] ?? '').startsWith(dir)))
      await c.docker
        .getImage(img.Id)
        .remove({ force: true })
        .catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('names layers by origin and shows a layer’s details (14)', async () => {
    const { page } = e2e;
    await openStage(page, 'deps');
    const layers = page.getByRole('region', { name: 'Layers' });
    await shown(
      layers.getByRole('button', { name: /^stagescope-test\/busybox:1, layer 1\/1/ }),
      'the base image layer named after the image',
    );
    await openStage(page, 'builder');
    await shown(
      layers.getByRole('button', { name: /^from stage deps, stagescope-test\/busybox:1, layer 1\/1/ }),
      "deps's base image layer, inherited",
    );
    const inherited = layers.getByRole('button', { name: /^from stage deps, line 2/ });
    await shown(inherited, 'the layer inherited from deps');
    await shown(layers.getByRole('button', { name: /^L4 / }), "the builder's own line 4");
    await inherited.click();
    const details = page.getByRole('region', { name: 'Layer details' });
    await shown(details, 'the layer details');
    const text = (await details.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('from stage deps, line 2');
    expect(text).toContain('RUN mkdir -p /app && echo dep > /app/dep.txt');
    expect(text).toMatch(/Digest sha256:[0-9a-f]{64}/);
    expect(text).toMatch(/\+ [\d,]+ added · ~ [\d,]+ modified · − [\d,]+ removed/);
    await screenshot(page, 'details-01-layers');
  });

  it('shows permission and uid:gid columns, and filter totals with folder sizes of the matches (13)', async () => {
    const { page } = e2e;
    await openStage(page, 'builder');
    await page.getByRole('button', { name: 'All layers (aggregated)' }).click();
    const tree = page.getByRole('tree', { name: 'Files of builder' });
    // A wide window has room for every column.
    await page.setViewportSize({ width: 1920, height: 900 });
    const headers = page.locator('.tree-wrap .columns');
    for (const h of ['Name', 'Permission', 'UID:GID', 'Size']) {
      const header = headers.getByText(h, { exact: true });
      const width = () =>
        page
          .locator('.tree-wrap')
          .first()
          .evaluate((el) => Math.round(el.getBoundingClientRect().width));
      await until(() => header.isVisible(), `the ${h} column header to be visible`).catch(async (err: Error) => {
        throw new Error(`${err.message} (the tree is ${await width()} px wide)`);
      });
    }
    await page.getByRole('searchbox', { name: /Filter/ }).fill('out.txt');
    const matches = page.getByRole('status', { name: 'Filter matches' });
    await shown(matches, 'the filter totals');
    await until(async () => (await matches.innerText()).trim() === '1 match · 6 B', '"1 match · 6 B"');
    const out = tree.getByRole('treeitem', { name: 'out.txt', exact: true });
    await shown(out, 'out.txt');
    expect(await out.locator('.perm').innerText()).toBe('-rwsr-xr-x');
    expect(await out.locator('.owner').innerText()).toBe('0:0');
    // /app holds dep.txt too, but with the filter it counts only the match.
    expect(await tree.getByRole('treeitem', { name: 'app', exact: true }).locator('.size').innerText()).toBe('6 B');
    expect(await tree.getByRole('treeitem', { name: 'app', exact: true }).locator('.perm').innerText()).toBe('drwxr-xr-x');
    await screenshot(page, 'details-02-tree-filter');
    // At 1440 px the tree is ~400 px beside the preview: permission and owner give way (they are
    // in the preview), and the name is shown whole instead of being squeezed to "o…".
    await page.setViewportSize({ width: 1440, height: 900 });
    await until(async () => !(await headers.getByText('UID:GID', { exact: true }).isVisible()), 'the UID:GID column to give way');
    expect(await out.locator('.perm').isVisible()).toBe(false);
    const name = out.locator('.name');
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await out.locator('.size').isVisible()).toBe(true);
    await screenshot(page, 'details-02b-tree-narrow');
    await page.getByRole('searchbox', { name: /Filter/ }).fill('');
  });

  it('shows the saving in percent and bytes, a legend, roles, and a 2-file image as a list that opens the tree (15, 16)', async () => {
    const { page } = e2e;
    await page.getByRole('tab', { name: 'Sizes' }).click();
    const summary = page.locator('.summary');
    await shown(summary, 'the sizes summary');
    expect(await summary.innerText()).toMatch(/· −\d+(\.\d+)? %, [\d.]+ (B|kB|MB) saved/);
    const legend = page.getByRole('list', { name: 'Bar colors' });
    expect(await legend.innerText()).toContain('feeds a builder');
    const table = page.getByRole('table', { name: /Image size per stage/ });
    const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
    expect(await row('deps').innerText()).toContain('feeds a builder');
    expect(await row('builder').innerText()).toContain('builder (the final image uses it)');
    // Thousands separators in the Bytes column.
    expect(await row('builder').innerText()).toMatch(/\d,\d{3}/);
    const few = page.getByRole('list', { name: 'Largest entries of stage-3' });
    await shown(few, 'the list of a 2-file image');
    expect(await few.getByRole('button').count()).toBe(2);
    await screenshot(page, 'details-03-sizes');
    await few.getByRole('button', { name: /\/app\/out\.txt/ }).click();
    await expect(page.getByRole('tab', { name: 'Stage' }).getAttribute('aria-selected')).resolves.toBe('true');
    const out = page.getByRole('tree', { name: 'Files of stage-3' }).getByRole('treeitem', { name: 'out.txt', exact: true });
    await shown(out, 'out.txt revealed in the final tree');
    await screenshot(page, 'details-04-sizes-to-tree');
  });

  it('draws "not needed" stages with AA contrast and no text under 12 px (19)', async () => {
    const { page } = e2e;
    const node = page.getByRole('button', { name: 'unused', exact: true });
    await expect(node.getAttribute('data-needed')).resolves.toBe('false');
    const contrast = await node.evaluate((g) => {
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const lum = (c: string) => {
        const [r, gr, b] = rgb(c).map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * gr + 0.0722 * b;
      };
      let opacity = 1;
      for (let e: Element | null = g; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      const bg = getComputedStyle(g.querySelector('rect')!).fill;
      // The node's own lines (the checks badge is white on its own circle).
      return [...g.querySelectorAll(':scope > text')].map((t) => {
        const [l1, l2] = [lum(getComputedStyle(t).fill), lum(bg)].sort((a, b) => b - a);
        return { text: t.textContent, ratio: (l1 + 0.05) / (l2 + 0.05), opacity };
      });
    });
    expect(contrast.map((c) => c.text)).toContain('not needed');
    for (const c of contrast) {
      expect(c.opacity, `opacity of "${c.text}"`).toBe(1);
      expect(c.ratio, `contrast of "${c.text}"`).toBeGreaterThanOrEqual(4.5);
    }
    for (const tab of ['Build', 'Stage', 'Diff', 'COPY --from', 'Sizes']) {
      await page.getByRole('tab', { name: tab }).click();
      await until(async () => (await page.getByRole('tab', { name: tab }).getAttribute('aria-selected')) === 'true', `the ${tab} tab`);
      expect(await smallText(page), `text under 12 px in ${tab}`).toEqual([]);
    }
    await screenshot(page, 'details-05-graph');
    expect(pageProblems(page)).toEqual([]);
  });
});
