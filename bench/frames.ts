// Figure (6) alone, for work on the tree's frame times without a full run:
// `npx tsx bench/frames.ts [--quick | --big] [--no-load] [--passes N] [--cpu-profile PREFIX] [--trace PREFIX] [UI_DIR ...]`
// (--big: 500,000 rows instead of 110,000; PREFIX-<pass>-<ui>.cpuprofile: the page's CPU profile
// of the first round's scroll; PREFIX-<pass>-<ui>-<round>.json: a Chromium trace of each round's
// scroll, its long frames logged by bench/trace.ts; tracing slows the page, so take frame times
// from passes without it).
// Each UI build (default: out/renderer) is measured in turn, N passes in alternation (A B A B),
// so a before/after pair shares the machine's load. Prints the load average with each result.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { connectEngine } from '../electron/core/docker/connection.ts';
import { RENDERER_DIR } from '../electron/cli/serve.ts';
import { measureBrowser } from './browser.ts';

async function main(argv: string[]): Promise<void> {
  const size = argv.includes('--quick') ? 'quick' : argv.includes('--big') ? 'big' : 'full';
  const load = !argv.includes('--no-load');
  const at = argv.indexOf('--passes');
  const passes = at >= 0 ? Math.max(1, Number(argv[at + 1]) || 1) : 1;
  const prof = argv.indexOf('--cpu-profile');
  const cpuProfile = prof >= 0 ? resolve(argv[prof + 1]) : undefined;
  const tr = argv.indexOf('--trace');
  const trace = tr >= 0 ? resolve(argv[tr + 1]) : undefined;
  const valued = new Set(['--passes', '--cpu-profile', '--trace']);
  const dirs = argv.filter((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1])).map((d) => resolve(d));
  if (dirs.length === 0) dirs.push(RENDERER_DIR);
  const conn = await connectEngine();
  const la = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  for (let pass = 0; pass < passes; pass++) {
    for (const staticDir of dirs) {
      const before = la();
      const b = await measureBrowser(conn, size, (m) => process.stderr.write(`${m}\n`), {
        staticDir,
        load,
        cpuProfile: cpuProfile && `${cpuProfile}-${pass + 1}-${dirs.indexOf(staticDir) + 1}.cpuprofile`,
        trace: trace && `${trace}-${pass + 1}-${dirs.indexOf(staticDir) + 1}`,
      });
      if ('notMeasured' in b) throw new Error(b.notMeasured);
      const f = b.frames!;
      const r = (x: number) => Math.round(x);
      console.log(
        [
          `${staticDir} (pass ${pass + 1}, ${b.nodes} rows, ${f.underLoad ? 'one core busy' : 'no load'}, load average ${before} -> ${la()})`,
          `  expand-all: p95 ${r(f.expand.p95Ms)} ms, max ${r(f.expand.maxMs)} ms (${f.expand.frames} frames, ${f.expand.over40} over 40 ms); first paint ${r(b.firstPaintMs)} ms`,
          `  scroll:     p95 ${r(f.scroll.p95Ms)} ms, max ${r(f.scroll.maxMs)} ms (${f.scroll.frames} frames, ${f.scroll.over40} over 40 ms, ${f.scrollWaiting ?? 0} with rows in view waiting for their page)`,
          ...(['expand', 'scroll'] as const).map((k) => {
            const l = b.longFrames![k];
            return `  long frames (${k}): ${l.count}, ${r(l.ms)} ms in all, script ${r(l.scriptMs)} ms, style+layout ${r(l.layoutMs)} ms; ${l.top.map(([k, v]) => `${k} ${r(v)} ms`).join('; ')}`;
          }),
          `  renderer CPU (3 rounds): expand ${r(b.cpu!.expand.processMs)} ms (main thread ${r(b.cpu!.expand.threadMs)}), scroll ${r(b.cpu!.scroll.processMs)} ms (main thread ${r(b.cpu!.scroll.threadMs)})`,
          `  rounds paint/expand/scroll/idle: ${b.rounds!.map((x) => [x.firstPaintMs, x.longestExpandFrameMs, x.longestScrollFrameMs, x.longestIdleFrameMs].map(r).join('/')).join(', ')}`,
        ].join('\n'),
      );
    }
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
