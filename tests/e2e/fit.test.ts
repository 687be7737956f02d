// Views that fit a laptop screen (issue 9, items 9-12), checked by geometry in Chromium on the
// real engine: the stage graph fitted to its pane at 1440x900 and 1024x700 for 6 and 30 stages
// with no text under 12 px; the page never scrolls, the tree and the preview stay side by side
// and in view; "show in tree" from COPY --from expands, selects, focuses and scrolls to the file;
// a stage click opens it (in Diff: sets a side). Screenshots: test-artifacts/fit-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../support/fixtures.ts';
import { cleanupFixture } from '../integration/harness.ts';
import { pageProblems, screenshot, startE2E, type E2E } from './harness.ts';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The graph pane, every node's box, and every drawn text's effective font size. */
async function graphGeometry(page: Page) {
  return page.evaluate(() => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const pane = document.querySelector('.graph .pane')!;
    const nodes = [...pane.querySelectorAll('g.node')].map((g) => ({
      name: g.getAttribute('aria-label') ?? g.querySelector('title')?.textContent ?? '',
      lines: Number(g.getAttribute('data-lines') ?? '-1'),
      box: box(g.querySelector('rect')!),
    }));
    // Font sizes as drawn: computed size times the SVG's scale on screen (1 unless transformed).
    const fonts = [...pane.querySelectorAll('text')].map((t) => ({
      text: t.textContent ?? '',
      px: parseFloat(getComputedStyle(t).fontSize) * ((t as SVGTextElement).getScreenCTM()?.a ?? 1),
    }));
    return { pane: box(pane), nodes, fonts, zoom: document.querySelector('.graph .zoom')?.textContent ?? '' };
  });
}

function inside(inner: Box, outer: Box, slack = 0.5): boolean {
  return (
    inner.left >= outer.left - slack &&
    inner.top >= outer.top - slack &&
    inner.right <= outer.right + slack &&
    inner.bottom <= outer.bottom + slack
  );
}

async function pageScrolls(page: Page): Promise<{ scrollHeight: number; clientHeight: number; scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => {
    const el = document.scrollingElement!;
    return { scrollHeight: el.scrollHeight, clientHeight: el.clientHeight, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
  });
}

async function expectPageFits(page: Page): Promise<void> {
  const s = await pageScrolls(page);
  expect(s.scrollHeight, 'the page itself must not scroll').toBeLessThanOrEqual(s.clientHeight);
  expect(s.scrollWidth).toBeLessThanOrEqual(s.clientWidth);
}

/** Every node inside the pane, every text at least 12 px; returns the geometry. */
async function expectGraphFits(page: Page, stages: number) {
  // The pane is measured by a ResizeObserver: wait until the nodes are inside it.
  let g = await graphGeometry(page);
  for (let i = 0; i < 20 && !g.nodes.every((n) => inside(n.box, g.pane)); i++) {
    await page.waitForTimeout(100);
    g = await graphGeometry(page);
  }
  expect(g.nodes.filter((n) => n.lines >= 0)).toHaveLength(stages);
  // The pane itself is in the window: a pane taller than the sidebar would be clipped, not scrolled.
  const vp = page.viewportSize()!;
  expect(
    inside(g.pane, { left: 0, top: 0, right: vp.width, bottom: vp.height }),
    `pane ${JSON.stringify(g.pane)} in ${vp.width}x${vp.height}`,
  ).toBe(true);
  for (const n of g.nodes) expect(inside(n.box, g.pane), `${n.name} ${JSON.stringify(n.box)} in ${JSON.stringify(g.pane)}`).toBe(true);
  expect(g.fonts.length).toBeGreaterThan(0);
  for (const f of g.fonts) expect(f.px, `"${f.text}"`).toBeGreaterThanOrEqual(12);
  return g;
}

async function openFolder(page: Page, path: string): Promise<void> {
  await page.locator('#folder').fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.locator('#dockerfile').waitFor();
}

async function build(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Build$/ }).click();
  await page
    .getByRole('button', { name: 'Cancel build' })
    .waitFor({ timeout: 30_000 })
    .catch(() => undefined);
  await page.getByRole('button', { name: /^Build$/ }).waitFor({ timeout: 240_000 });
}

let e2e: E2E;

describe('views that fit the window', () => {
  beforeAll(async () => {
    e2e = await startE2E(fixtureDir('graph-6'));
    const { page } = e2e;
    await page.getByText(/Engine \d+\.\d+/).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'final', exact: true }).waitFor({ timeout: 30_000 });
    await build(page);
    await page.getByRole('button', { name: 'final', exact: true }).and(page.locator('[data-state="built"]')).waitFor({ timeout: 60_000 });
  }, 300_000);
  afterAll(async () => {
    await e2e?.page.setViewportSize({ width: 1440, height: 900 });
    await e2e?.close();
    await cleanupFixture('graph-6');
    await cleanupFixture('graph-30');
  });

  it('fits the 6-stage graph to its pane with full text at both window sizes (9)', async () => {
    const { page } = e2e;
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const g = await expectGraphFits(page, 6);
      // Six stages are readable as laid out: every stage shows at least its name.
      for (const n of g.nodes.filter((x) => x.lines >= 0)) expect(n.lines, n.name).toBeGreaterThanOrEqual(1);
      await expectPageFits(page);
      await screenshot(page, `fit-graph-6-${size.width}`);
    }
    await page.setViewportSize(SIZES[0]);
    // The sidebar and the graph pane are resized by dragging their bars; the graph fits again.
    const before = await graphGeometry(page);
    for (const [name, dx, dy] of [
      ['Resize the sidebar', 150, 0],
      ['Resize the stage graph', 0, 80],
    ] as const) {
      const bar = (await page.getByRole('separator', { name }).boundingBox())!;
      await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
      await page.mouse.down();
      await page.mouse.move(bar.x + bar.width / 2 + dx, bar.y + bar.height / 2 + dy, { steps: 5 });
      await page.mouse.up();
    }
    const after = await expectGraphFits(page, 6);
    expect(after.pane.right - after.pane.left).toBeCloseTo(before.pane.right - before.pane.left + 150, -1);
    // Taller by the drag at least (the legend may also wrap onto fewer lines in a wider sidebar).
    expect(after.pane.bottom - after.pane.top).toBeGreaterThanOrEqual(before.pane.bottom - before.pane.top + 78);
    await expectPageFits(page);
    await screenshot(page, 'fit-graph-6-resized');
  });

  it('a stage click opens it in the Stage tab; in Diff it sets a side (12)', async () => {
    const { page } = e2e;
    await page.getByRole('tab', { name: 'Sizes' }).click();
    await page.getByRole('button', { name: 'deps', exact: true }).click();
    await expect(page.getByRole('tab', { name: 'Stage' }).getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByRole('tree', { name: 'Files of deps' }).waitFor();
    await page.getByRole('tab', { name: 'Build' }).click();
    await page
      .getByRole('listbox', { name: 'Stages' })
      .getByRole('option', { name: /^tools/ })
      .click();
    await expect(page.getByRole('tab', { name: 'Stage' }).getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByRole('tree', { name: 'Files of tools' }).waitFor();
    await page.getByRole('tab', { name: 'Diff' }).click();
    await page.getByRole('button', { name: 'build', exact: true }).click();
    await expect(page.getByRole('tab', { name: 'Diff' }).getAttribute('aria-selected')).resolves.toBe('true');
    const to = page.getByRole('combobox', { name: 'Diff to stage' });
    await expect(to.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent?.trim())).resolves.toBe('build');
    await page.getByRole('button', { name: 'base', exact: true }).click({ modifiers: ['Shift'] });
    const from = page.getByRole('combobox', { name: 'Diff from stage' });
    await expect(from.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent?.trim())).resolves.toBe('base');
    await screenshot(page, 'fit-diff-sides');
  });

  it('the preview opens beside the tree, both in view, and the page never scrolls (10)', async () => {
    const { page } = e2e;
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.getByRole('tab', { name: 'Build' }).click();
      await page.getByRole('button', { name: 'final', exact: true }).click();
      const tree = page.getByRole('tree', { name: 'Files of final' });
      await tree.waitFor();
      const etc = tree.getByRole('treeitem', { name: 'etc', exact: true });
      await etc.waitFor();
      if ((await etc.getAttribute('aria-expanded')) !== 'true') await etc.click();
      const passwd = tree.getByRole('treeitem', { name: 'passwd', exact: true });
      await passwd.click();
      const preview = page.getByRole('region', { name: 'File preview' });
      await preview.getByText('root:x:0:0').first().waitFor({ timeout: 30_000 });
      // The clicked row is the same element, still selected and in view: the tree did not remount.
      await expect(passwd.getAttribute('aria-selected')).resolves.toBe('true');
      const [treeBox, rowBox, previewBox] = await Promise.all([tree.boundingBox(), passwd.boundingBox(), preview.boundingBox()]);
      const b = (r: { x: number; y: number; width: number; height: number } | null): Box => ({
        left: r!.x,
        top: r!.y,
        right: r!.x + r!.width,
        bottom: r!.y + r!.height,
      });
      expect(inside(b(rowBox), b(treeBox))).toBe(true);
      const view: Box = { left: 0, top: 0, right: size.width, bottom: size.height };
      expect(inside(b(treeBox), view)).toBe(true);
      // Beside the tree, its top in the window (it scrolls inside its own pane).
      expect(previewBox!.x).toBeGreaterThanOrEqual(treeBox!.x + treeBox!.width - 1);
      expect(previewBox!.y).toBeLessThan(size.height - 100);
      await expectPageFits(page);
      await screenshot(page, `fit-preview-${size.width}`);
    }
    await page.setViewportSize(SIZES[0]);
  });

  it('"show in tree" from COPY --from expands to the file, selects, focuses and scrolls to it (11)', async () => {
    const { page } = e2e;
    for (const [path, name, level] of [
      ['/bin/zz-tool', 'zz-tool', 2],
      ['/usr/local/lib/app/bin/app', 'app', 6],
    ] as const) {
      await page.getByRole('tab', { name: 'COPY --from' }).click();
      await page.getByRole('region', { name: 'COPY --from' }).getByRole('button', { name: path, exact: true }).first().click();
      await expect(page.getByRole('tab', { name: 'Stage' }).getAttribute('aria-selected')).resolves.toBe('true');
      const tree = page.getByRole('tree', { name: 'Files of final' });
      const row = tree.locator(`[role="treeitem"][data-path="${path}"]`);
      await row
        .and(page.locator('[aria-selected="true"]'))
        .waitFor({ timeout: 30_000 })
        .catch(async (e: unknown) => {
          await screenshot(page, `fit-reveal-${name}-failed`);
          throw e;
        });
      await expect(row.getAttribute('aria-level')).resolves.toBe(String(level));
      await expect(row.getAttribute('aria-label')).resolves.toBe(name);
      await expect(page.evaluate(() => document.activeElement?.getAttribute('data-path'))).resolves.toBe(path);
      const [treeBox, rowBox] = await Promise.all([tree.boundingBox(), row.boundingBox()]);
      expect(rowBox!.y).toBeGreaterThanOrEqual(treeBox!.y - 0.5);
      expect(rowBox!.y + rowBox!.height).toBeLessThanOrEqual(treeBox!.y + treeBox!.height + 0.5);
      await page.getByRole('region', { name: 'File preview' }).getByText(path).first().waitFor();
      await expectPageFits(page);
      await screenshot(page, `fit-reveal-${name}`);
    }
  });

  it('fits the 30-stage graph, zooms and pans, and keeps the selected stage in view (9)', async () => {
    const { page } = e2e;
    await openFolder(page, fixtureDir('graph-30'));
    await page.getByRole('button', { name: 'generate-validate', exact: true }).waitFor({ timeout: 30_000 });
    await build(page);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const g = await expectGraphFits(page, 30);
      // Names the boxes cannot hold: the target's still shows (above its box).
      expect(g.fonts.some((f) => f.text.startsWith('final'))).toBe(true);
      await expectPageFits(page);
      await screenshot(page, `fit-graph-30-${size.width}`);
    }
    await page.setViewportSize(SIZES[0]);
    const wide = await expectGraphFits(page, 30);

    // Zoom in (buttons, then Ctrl+wheel over the pane): boxes grow, text stays at its size.
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const pane = page.locator('.graph .pane');
    const pb = (await pane.boundingBox())!;
    await page.mouse.move(pb.x + pb.width / 2, pb.y + pb.height / 2);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    const zoomed = await graphGeometry(page);
    expect(parseInt(zoomed.zoom)).toBeGreaterThan(parseInt(wide.zoom) * 1.5);
    for (const f of zoomed.fonts) expect(f.px).toBeGreaterThanOrEqual(12);
    expect(zoomed.nodes.some((n) => !inside(n.box, zoomed.pane))).toBe(true);
    // Zoomed in, every stage in the pane shows its name.
    const shown = zoomed.nodes.filter((n) => n.lines >= 0 && inside(n.box, zoomed.pane));
    expect(shown.length).toBeGreaterThan(0);
    for (const n of shown) expect(n.lines, n.name).toBeGreaterThanOrEqual(1);

    // Drag to pan.
    const before = zoomed.nodes.find((n) => n.name === 'base')!.box;
    const start = await page.evaluate(
      ({ x, y, w, h }) => {
        for (let dy = 5; dy < h - 40; dy += 10)
          for (let dx = 5; dx < w - 50; dx += 10)
            if (!document.elementFromPoint(x + dx, y + dy)?.closest('.node')) return { x: x + dx, y: y + dy };
        return null;
      },
      { x: pb.x, y: pb.y, w: pb.width, h: pb.height },
    );
    expect(start, 'a point of the pane outside every node').not.toBeNull();
    await page.mouse.move(start!.x, start!.y);
    await page.mouse.down();
    await page.mouse.move(start!.x + 40, start!.y + 30, { steps: 4 });
    await page.mouse.up();
    const after = (await graphGeometry(page)).nodes.find((n) => n.name === 'base')!.box;
    expect(after.left - before.left).toBeCloseTo(40, 0);
    expect(after.top - before.top).toBeCloseTo(30, 0);

    // Selecting a stage that is off-screen (from the list) brings its node into the pane.
    for (const name of ['authors', 'test-coverage', 'base']) {
      await page
        .getByRole('listbox', { name: 'Stages' })
        .getByRole('option', { name: new RegExp(`^${name}\\b`) })
        .click();
      await page.waitForTimeout(100);
      const g = await graphGeometry(page);
      const node = g.nodes.find((n) => n.name === name)!;
      expect(inside(node.box, g.pane), name).toBe(true);
    }
    await screenshot(page, 'fit-graph-30-zoomed');
    // Fit again.
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await expectGraphFits(page, 30);
    expect(pageProblems(page)).toEqual([]);
  }, 300_000);
});
