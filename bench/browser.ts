// Measurement (6): the Stage tab's file tree in Debian's Chromium, through the browser host
// (the same API the desktop app uses). A one-stage project of 110k small files is built from
// the local busybox image; then, in the page, with requestAnimationFrame timestamps:
// - open: Stage tab click -> first frame with the tree's rows (collapsed tree of 110k nodes);
// - first paint: "Expand all" click -> first frame with the expanded rows (110k visible rows);
// - the longest frame from that click until the tree has settled (expand-all);
// - the longest frame during a scripted scroll (steady steps, then jumps to middle and end).
// Expand-all and the scroll run three rounds (collapse all between them) while a second process
// keeps one core busy (startLoad): medians, and the p95 and max of every frame of the rounds.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startWebHost } from '../electron/web/index.ts';
import { openProject } from '../electron/core/project/session.ts';
import { engineStatus } from '../electron/core/project/engine-status.ts';
import { RENDERER_DIR } from '../electron/cli/serve.ts';
import { removeImagesByLabel } from '../electron/core/docker/images.ts';
import { PROJECT_LABEL } from '../electron/core/project/naming.ts';
import type { Connection } from '../electron/core/docker/connection.ts';
import type { BrowserFigures, LongFrames } from './types.ts';
import { describeLongFrames, longFrameCosts, TRACE_CATEGORIES, type TraceEvent } from './trace.ts';

const REPEATS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const spread = (xs: number[]) => ({
  p95Ms: percentile(xs, 95),
  maxMs: Math.max(0, ...xs),
  frames: xs.length,
  // Three vsyncs or more (a 33 ms frame is two: one missed).
  over40: xs.filter((x) => x > 40).length,
});

function sumLong(xs: LongFrames[]): LongFrames {
  const top = new Map<string, number>();
  for (const x of xs) for (const [k, v] of x.top) top.set(k, (top.get(k) ?? 0) + v);
  const sum = (f: (x: LongFrames) => number) => xs.reduce((a, x) => a + f(x), 0);
  return {
    count: sum((x) => x.count),
    ms: sum((x) => x.ms),
    scriptMs: sum((x) => x.scriptMs),
    layoutMs: sum((x) => x.layoutMs),
    top: [...top].sort((a, b) => b[1] - a[1]).slice(0, 3),
  };
}

/**
 * A second process that keeps one core busy for as long as the rounds run: a user's machine is
 * rarely idle, and a frame budget met only on an idle core is no budget. The caller kills it.
 */
export function startLoad(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  child.on('error', () => {});
  return child;
}

export function stopLoad(child: ChildProcess | null): void {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export const CHROMIUM = process.env.STAGESCOPE_CHROMIUM ?? '/usr/bin/chromium';

/** Folders x files of the tree (plus busybox's own ~400 entries). */
/** `big`: issue 15's "the tree UI stays as fast as with 100k files", at 500k (bench/frames.ts --big). */
export const BROWSER_TREE = { full: { dirs: 110, files: 1000 }, quick: { dirs: 3, files: 100 }, big: { dirs: 500, files: 1000 } };

export function browserDockerfile(dirs: number, files: number): string {
  // xargs touch: 110k files in a couple of seconds (a shell loop of echo takes minutes).
  return [
    'FROM stagescope-test/busybox:1 AS files',
    `RUN for d in $(seq 1 ${dirs}); do mkdir -p /files/d$d && cd /files/d$d && seq 1 ${files} | xargs touch; done`,
    '',
  ].join('\n');
}

/** Why (6) cannot run here, or null. Builds the UI first if `npm run build:renderer` has not. */
export function browserUnavailable(): string | null {
  if (!existsSync(CHROMIUM)) return `Chromium is missing at ${CHROMIUM} (apt-get install chromium, or set STAGESCOPE_CHROMIUM)`;
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    try {
      execFileSync('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    } catch {
      return 'the UI did not build (npm run build:renderer failed)';
    }
  }
  return null;
}

async function buildInUi(page: Page): Promise<void> {
  await page.getByText(/Engine \d+\./).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'files', exact: true }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: /^Build$/ }).click();
  // The button reads "Cancel" while the build runs and "Build" again afterwards.
  await page
    .getByRole('button', { name: /^Cancel/ })
    .waitFor({ timeout: 10_000 })
    .catch(() => {});
  await page.getByRole('button', { name: /^Build$/ }).waitFor({ timeout: 300_000 });
  const alerts = await page.getByRole('alert').allTextContents();
  if (alerts.length) throw new Error(`the browser fixture did not build: ${alerts.join(' / ')}`);
}

// The in-page measurements. Each function runs in Chromium (no closures over Node values).

/** Clicks `trigger` and resolves with the time to the first frame where `ready` holds, and every frame until `settleMs` after it. */
function timeToPaint(args: {
  trigger: string;
  ready: string;
  settleMs: number;
}): Promise<{ paintMs: number; longestFrameMs: number; frameMs: number[] }> {
  return new Promise((resolve, reject) => {
    const clickable = [...document.querySelectorAll<HTMLElement>('button, [role=tab]')].find((b) => b.textContent?.trim() === args.trigger);
    if (!clickable) return reject(new Error(`no control named ${args.trigger}`));
    let last = performance.now();
    let longest = 0;
    let paintedAt = 0;
    let seenAt = 0;
    const deltas: number[] = [];
    const t0 = performance.now();
    const frame = (now: number) => {
      longest = Math.max(longest, now - last);
      deltas.push(now - last);
      last = now;
      // The rows were in the DOM at the previous frame's callback: that frame has been painted.
      if (seenAt && !paintedAt) paintedAt = now;
      if (!seenAt && document.querySelector(args.ready)) seenAt = now;
      if (paintedAt && now - paintedAt > args.settleMs)
        return resolve({ paintMs: paintedAt - t0, longestFrameMs: longest, frameMs: deltas });
      if (now - t0 > 60_000) return reject(new Error(`${args.ready} never appeared`));
      requestAnimationFrame(frame);
    };
    clickable.click();
    requestAnimationFrame(frame);
  });
}

// Long Animation Frames (frames of 50 ms or more, Chromium): where a long frame's time went.
const LOAF_OBSERVER = `globalThis.__loaf = [];
new PerformanceObserver((list) => { globalThis.__loaf.push(...list.getEntries()); }).observe({ type: 'long-animation-frame' });`;

/** The long frames since the last call, summed: all, script, style + layout; and the scripts that took longest. */
function takeLongFrames(): { count: number; ms: number; scriptMs: number; layoutMs: number; top: [string, number][] } {
  type Loaf = PerformanceEntry & {
    styleAndLayoutStart: number;
    scripts: { duration: number; invoker: string; invokerType: string }[];
  };
  const g = globalThis as unknown as { __loaf: Loaf[] };
  const entries = g.__loaf;
  g.__loaf = [];
  const byInvoker = new Map<string, number>();
  let ms = 0;
  let scriptMs = 0;
  let layoutMs = 0;
  for (const e of entries) {
    ms += e.duration;
    layoutMs += e.startTime + e.duration - e.styleAndLayoutStart;
    for (const s of e.scripts) {
      scriptMs += s.duration;
      const key = `${s.invokerType} ${s.invoker}`;
      byInvoker.set(key, (byInvoker.get(key) ?? 0) + s.duration);
    }
  }
  return { count: entries.length, ms, scriptMs, layoutMs, top: [...byInvoker].sort((a, b) => b[1] - a[1]).slice(0, 3) };
}

/** The longest frame while the page does nothing: what the shared machine alone costs. */
function idleFrames(ms: number): Promise<number> {
  return new Promise((resolve) => {
    let last = 0;
    let longest = 0;
    let t0 = 0;
    const frame = (now: number) => {
      if (last) longest = Math.max(longest, now - last);
      else t0 = now;
      last = now;
      if (now - t0 > ms) return resolve(longest);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

/**
 * Scrolls the tree: steady steps of `step` px per frame, then jumps (scrollbar drags) to far
 * positions, each followed by a few frames for its rows to arrive; every frame and how many rows the tree has.
 */
function scripted(args: {
  steps: number;
  step: number;
  rowHeight: number;
  /** console.timeStamp each frame with what the previous one did, for bench/trace.ts. */
  stamp: boolean;
}): Promise<{ longestFrameMs: number; frames: number; rows: number; frameMs: number[]; waiting: number }> {
  return new Promise((resolve, reject) => {
    const tree = document.querySelector<HTMLElement>('[role=tree]');
    if (!tree) return reject(new Error('no tree'));
    // virtua's VList puts role=tree on its scrolling element.
    const scroller = tree.scrollHeight > tree.clientHeight ? tree : (tree.querySelector<HTMLElement>('*') ?? tree);
    const plan: number[] = [];
    for (let i = 1; i <= args.steps; i++) plan.push(i * args.step);
    const max = scroller.scrollHeight - scroller.clientHeight;
    plan.push(max / 2, max / 2 + args.step, max, max - args.step, 0);
    // Far jumps in a fixed order, 6 frames apart (the pages they need arrive in between).
    for (const at of [0.83, 0.11, 0.67, 0.29, 0.97, 0.02, 0.5, 0.75, 0.25, 1]) {
      for (let k = 0; k < 5; k++) plan.push(NaN);
      plan.push(Math.round(at * max));
    }
    const deltas: number[] = [];
    let last = 0;
    let longest = 0;
    let frames = 0;
    let i = 0;
    let tail = 30; // frames after the last jump: rows of the last page arrive and render
    // Rows in view still waiting for their page ('…'), read from the placeholders' inline
    // transform (no layout read): what a user sees blank, and a burst to come when it arrives.
    const view = scroller.clientHeight;
    let cur = scroller.scrollTop; // what the plan set last: reading scrollTop could force a layout
    const waitingInView = () => {
      let n = 0;
      for (const el of scroller.querySelectorAll<HTMLElement>('.placeholder:not([hidden])')) {
        const y = Number(/translateY\((-?[\d.]+)px\)/.exec(el.style.transform)?.[1] ?? NaN);
        if (y + args.rowHeight > cur && y < cur + view) n++;
      }
      return n;
    };
    let waitingFrames = 0;
    let did = 'start';
    const frame = (now: number) => {
      if (last) {
        longest = Math.max(longest, now - last);
        deltas.push(now - last);
      }
      last = now;
      frames++;
      const waiting = waitingInView();
      if (waiting > 0) waitingFrames++;
      if (args.stamp) console.timeStamp(`f ${did} ph ${waiting}`);
      if (i < plan.length) {
        const top = plan[i++];
        if (!Number.isNaN(top)) {
          did = Math.abs(top - cur) > args.step ? `jump ${Math.round(top / args.rowHeight)}` : 'step';
          scroller.scrollTop = cur = top;
        } else did = 'wait';
      } else if (tail-- <= 0)
        return resolve({
          longestFrameMs: longest,
          frames,
          rows: Math.round(scroller.scrollHeight / args.rowHeight),
          frameMs: deltas,
          waiting: waitingFrames,
        });
      else did = 'wait';
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

export async function measureBrowser(
  conn: Connection,
  size: keyof typeof BROWSER_TREE,
  log: (msg: string) => void,
  /** `staticDir`: another build of the UI (bench/frames.ts compares two); `load: false` measures without the busy core. */
  /** `cpuProfile`: write the page's CPU profile of the first round's scroll there (.cpuprofile). */
  /** `trace`: trace every round's scroll to `<trace>-<round>.json` and log its long frames (bench/trace.ts). */
  opts: { staticDir?: string; load?: boolean; cpuProfile?: string; trace?: string } = {},
): Promise<BrowserFigures | { notMeasured: string }> {
  const why = browserUnavailable();
  if (why) return { notMeasured: why };
  const dir = await mkdtemp(join(tmpdir(), 'stagescope-bench-browser-'));
  const dockerfile = join(dir, 'Dockerfile');
  const { dirs, files } = BROWSER_TREE[size];
  await writeFile(dockerfile, browserDockerfile(dirs, files));
  const host = await startWebHost({
    staticDir: opts.staticDir ?? RENDERER_DIR,
    root: dir,
    openSession: (r) => openProject(r),
    engineStatus,
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  let load: ChildProcess | null = null;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // tsx (esbuild, keepNames) wraps named functions in __name(): give the page one.
    await page.addInitScript('globalThis.__name = (f) => f');
    await page.addInitScript(LOAF_OBSERVER);
    await page.goto(host.url);
    log('(6) building the browser fixture in the UI');
    await buildInUi(page);
    await page.getByRole('button', { name: 'files', exact: true }).click();
    log('(6) open the Stage tab, expand all, scroll');
    const open = await page.evaluate(timeToPaint, { trigger: 'Stage', ready: '[role=tree] [role=treeitem]', settleMs: 300 });
    await page.getByRole('tree').getByRole('treeitem', { name: 'files', exact: true }).waitFor();
    if (opts.load !== false) load = startLoad();
    // Frame times on a shared machine jump from run to run: several rounds, medians reported.
    const rounds: { paint: number; expandFrame: number; scrollFrame: number; rows: number; idle: number }[] = [];
    const expandFrames: number[] = [];
    const scrollFrames: number[] = [];
    const long = { expand: [] as LongFrames[], scroll: [] as LongFrames[] };
    // CPU time of the page's renderer process (all its threads, raster included) and of its main
    // thread: unlike frame times, these barely move with the machine's load.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const cpuNow = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
      return { process: get('ProcessTime') * 1000, thread: get('ThreadTime') * 1000 };
    };
    const cpu = { expand: { processMs: 0, threadMs: 0 }, scroll: { processMs: 0, threadMs: 0 } };
    const addCpu = (
      into: { processMs: number; threadMs: number },
      a: { process: number; thread: number },
      b: { process: number; thread: number },
    ) => {
      into.processMs += b.process - a.process;
      into.threadMs += b.thread - a.thread;
    };
    let waiting = 0;
    for (let round = 0; round < REPEATS; round++) {
      await page.evaluate(timeToPaint, { trigger: 'Collapse all', ready: '[role=tree] [role=treeitem][aria-level="1"]', settleMs: 300 });
      await page.evaluate(takeLongFrames);
      const c0 = await cpuNow();
      const expand = await page.evaluate(timeToPaint, {
        trigger: 'Expand all',
        ready: '[role=tree] [role=treeitem][aria-level="2"]',
        settleMs: 1000,
      });
      const c1 = await cpuNow();
      long.expand.push(await page.evaluate(takeLongFrames));
      const profiling = round === 0 && opts.cpuProfile !== undefined;
      if (profiling) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
      if (opts.trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const c2 = await cpuNow();
      const scroll = await page.evaluate(scripted, { steps: 120, step: 2400, rowHeight: 24, stamp: opts.trace !== undefined });
      const c3 = await cpuNow();
      if (opts.trace) {
        const text = (await browser.stopTracing()).toString('utf8');
        await writeFile(`${opts.trace}-${round + 1}.json`, text);
        const { traceEvents } = JSON.parse(text) as { traceEvents: TraceEvent[] };
        log([`(6) trace of round ${round + 1}'s scroll:`, ...describeLongFrames(longFrameCosts(traceEvents, 30))].join('\n'));
      }
      waiting += scroll.waiting;
      if (profiling) await writeFile(opts.cpuProfile!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
      long.scroll.push(await page.evaluate(takeLongFrames));
      addCpu(cpu.expand, c0, c1);
      addCpu(cpu.scroll, c2, c3);
      const idle = await page.evaluate(idleFrames, 2000);
      expandFrames.push(...expand.frameMs);
      scrollFrames.push(...scroll.frameMs);
      rounds.push({
        paint: expand.paintMs,
        expandFrame: expand.longestFrameMs,
        scrollFrame: scroll.longestFrameMs,
        rows: scroll.rows,
        idle,
      });
    }
    return {
      nodes: rounds[0].rows,
      openPaintMs: open.paintMs,
      firstPaintMs: median(rounds.map((r) => r.paint)),
      longestScrollFrameMs: median(rounds.map((r) => r.scrollFrame)),
      longestExpandFrameMs: median(rounds.map((r) => Math.max(r.expandFrame, open.longestFrameMs))),
      longestIdleFrameMs: median(rounds.map((r) => r.idle)),
      frames: { underLoad: load !== null, expand: spread(expandFrames), scroll: spread(scrollFrames), scrollWaiting: waiting },
      longFrames: { expand: sumLong(long.expand), scroll: sumLong(long.scroll) },
      cpu,
      rounds: rounds.map((r) => ({
        firstPaintMs: r.paint,
        longestExpandFrameMs: r.expandFrame,
        longestScrollFrameMs: r.scrollFrame,
        longestIdleFrameMs: r.idle,
      })),
    };
  } finally {
    stopLoad(load);
    await browser.close().catch(() => {});
    await host.close().catch(() => {});
    await removeImagesByLabel(conn.docker, `${PROJECT_LABEL}=${dockerfile}`).catch((e: unknown) => log(`cleanup: ${String(e)}`));
    await rm(dir, { recursive: true, force: true });
  }
}
