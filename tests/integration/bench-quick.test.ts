// Keeps `npm run bench` working: the --quick variant builds its tiny fixture on the real
// engine and must print every measurement. How fast it is does not matter here.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBaseImages, requireEngine } from '../support/engine.ts';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..', '..');
let cacheDir = '';

afterAll(async () => {
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

describe('npm run bench -- --quick', () => {
  it('measures (1)-(7) and judges every target', async () => {
    await requireEngine();
    await requireBaseImages();
    cacheDir = await mkdtemp(join(tmpdir(), 'stagescope-bench-test-'));
    const { stdout } = await run(process.execPath, ['bin/bench.js', '--quick', '--json'], {
      cwd: REPO,
      env: { ...process.env, STAGESCOPE_CACHE_DIR: cacheDir },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 240_000,
    });
    const r = JSON.parse(stdout);
    expect(r.variant).toBe('quick');
    expect(r.fixture.stages.map((s: { name: string }) => s.name)).toEqual(['base', 'many', 'copytree', 'prune', 'final']);
    expect(r.fixture.layerEntries).toBeGreaterThan(300);
    for (const figure of [
      r.saveMs,
      r.analysis.analysisMs,
      r.analysis.cpuMs,
      r.analysis.maxRssMB,
      r.diff.ms,
      r.reanalysis.cpuMs,
      r.analysis.analysisCpuMs,
      r.reanalysis.analysisCpuMs,
      r.analysis.appCpuMs,
      r.reanalysis.appCpuMs,
      r.analysis.diffTabCpuMs,
      r.reanalysis.diffTabCpuMs,
      r.builds.coldStageByStage,
      r.builds.coldFinal,
      r.builds.warmStageByStage,
      r.builds.warmFinal,
    ]) {
      expect(Number.isFinite(figure) && figure > 0).toBe(true);
    }
    // CPU is taken after each step of one child: the analysis, the app's requests, the Diff tab, the diffs.
    for (const x of [r.analysis, r.reanalysis]) {
      expect(x.analysisCpuMs).toBeLessThanOrEqual(x.appCpuMs);
      expect(x.appCpuMs).toBeLessThanOrEqual(x.diffTabCpuMs);
      expect(x.diffTabCpuMs).toBeLessThanOrEqual(x.cpuMs);
    }
    // The first analysis parses every layer; after the late change only the new one is parsed.
    expect(r.analysis.layersParsed).toBe(r.fixture.layers);
    expect(r.reanalysis.layersParsed).toBe(1);
    // (6) in Chromium: a tree of busybox plus 3 x 100 files, expanded and scrolled.
    expect(r.browser.notMeasured).toBeUndefined();
    expect(r.browser.nodes).toBeGreaterThan(300);
    for (const figure of [r.browser.firstPaintMs, r.browser.longestScrollFrameMs, r.browser.longestExpandFrameMs]) {
      expect(Number.isFinite(figure) && figure > 0).toBe(true);
    }
    expect(r.browser.rounds).toHaveLength(3);
    // (7) the bounds the tests no longer assert, each measured (small sizes here).
    const bounds = [
      'parse-stages',
      'parse-line',
      'parse-bad-line',
      'discover',
      'context',
      'context-ignored',
      'archive-deep',
      'archive-entries',
      'preview',
    ];
    expect(r.bounds.map((b: { id: string }) => b.id)).toEqual(bounds);
    for (const b of r.bounds) expect(Number.isFinite(b.ms) && b.ms > 0 && b.limitMs > 0, b.id).toBe(true);
    expect(r.bounds.find((b: { id: string }) => b.id === 'archive-entries').rssMB).toBeGreaterThan(0);
    expect(r.targets.map((t: { id: string }) => t.id)).toEqual([
      '2-time',
      '2-rss',
      '3',
      '4-layers',
      '4-cpu',
      '5-warm',
      '5-cold',
      '6-paint',
      '6-frames',
      ...bounds.map((id) => `7-${id}`),
    ]);
    // It removed the images it built, the browser fixture's too.
    const docker = await requireEngine();
    const left = await docker.listImages({ filters: { reference: ['stagescope-test/bench-final'] } });
    expect(left).toEqual([]);
    const tagged = (await docker.listImages()).flatMap((i) => i.RepoTags ?? []);
    expect(tagged.filter((t) => t.includes('stagescope-bench-browser-') || t.startsWith('stagescope-bench/preview:'))).toEqual([]);
  });

  it('prints a table with every measurement without --json', async () => {
    const { stdout } = await run(process.execPath, ['bin/bench.js', '--quick'], {
      cwd: REPO,
      env: { ...process.env, STAGESCOPE_CACHE_DIR: cacheDir },
      timeout: 240_000,
    });
    for (const row of [
      '(1) docker save',
      '(2) full analysis',
      '(2) peak RSS',
      '(3) diff',
      '(4) layers parsed again',
      '(5) cold',
      '(5) warm',
      '(6) first paint',
      '(6) longest frame, scripted scroll',
      '(7) parse of a 64 KB RUN line',
      '(7) build context of 1000 files streamed',
    ]) {
      expect(stdout).toContain(row);
    }
    expect(stdout).toMatch(/target\s+result/);
  });
});
