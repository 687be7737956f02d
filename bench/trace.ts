// Where a long frame's time went, from a Chromium trace of the tree's scripted scroll
// (`bench/frames.ts --trace PREFIX`). The page stamps every frame of its scroll with
// console.timeStamp('f <action> ph <placeholders in view>'), so the frames here are exactly the
// bench's, each labelled with what the previous frame did (a step, a far jump, nothing) and how
// many rows in view still waited for their page. For each frame longer than the threshold it
// sums, clipped to that frame, the time of every thread that draws: the renderer's main thread
// by kind of work (script by function, style, layout, paint, GC), its compositor and raster
// threads, the GPU process' display compositor; wall time against thread time tells work from
// waiting for a core (a thread that had work but no core shows a long event with little CPU).

export interface TraceEvent {
  pid: number;
  tid: number;
  ts: number;
  ph: string;
  name: string;
  cat?: string;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { message?: string; functionName?: string; url?: string; type?: string } };
}

/** Categories that show the frame pipeline, script, GC and every thread's tasks. */
export const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8',
  'disabled-by-default-v8.gc',
  'cc',
  'viz',
  'gpu',
];

const GC = /GC|Scavenge|MarkCompact/;
/** Main-thread work worth naming (they nest: a FunctionCall inside an EventDispatch counts in both). */
const WORK = new Set([
  'ProxyMain::BeginMainFrame',
  'FireAnimationFrame',
  'EventDispatch',
  'FunctionCall',
  'TimerFire',
  'RunMicrotasks',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'Commit',
  'HitTest',
  'ParseHTML',
]);

interface Span {
  ts: number;
  end: number;
  dur: number;
  tdur: number;
  name: string;
  label: string;
  depth: number;
}

function labelOf(e: TraceEvent): string {
  const d = e.args?.data;
  if (e.name === 'FunctionCall' && d) return `FunctionCall ${d.functionName || '(anonymous)'}${d.url ? ` ${d.url.split('/').pop()}` : ''}`;
  if (e.name === 'EventDispatch' && d?.type) return `EventDispatch ${d.type}`;
  return e.name;
}

/** Complete events of each thread with their nesting depth (0 = a task). */
function spansByThread(events: TraceEvent[]): Map<string, Span[]> {
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const k = `${e.pid}:${e.tid}`;
    let l = byThread.get(k);
    if (!l) byThread.set(k, (l = []));
    l.push(e);
  }
  const out = new Map<string, Span[]>();
  for (const [k, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const stack: number[] = [];
    const spans: Span[] = [];
    for (const e of list) {
      while (stack.length && stack[stack.length - 1] <= e.ts) stack.pop();
      spans.push({
        ts: e.ts,
        end: e.ts + e.dur!,
        dur: e.dur!,
        tdur: e.tdur ?? e.dur!,
        name: e.name,
        label: labelOf(e),
        depth: stack.length,
      });
      stack.push(e.ts + e.dur!);
    }
    out.set(k, spans);
  }
  return out;
}

const clip = (s: Span, a: number, b: number) => Math.max(0, Math.min(s.end, b) - Math.max(s.ts, a));

export interface FrameCost {
  /** The frame's label (see above) and its length, ms. */
  label: string;
  ms: number;
  /** thread name -> [wall ms of its tasks in the frame, CPU ms of them]. */
  threads: [string, number, number][];
  /** The main thread's work in the frame by kind (WORK and GC events at any depth: they nest), ms. */
  main: [string, number][];
}

/** CPU over the whole scroll (not waiting for a core): each thread's, the main thread's by kind, per frame. */
export interface ScrollCpu {
  threads: [string, number][];
  main: [string, number][];
  /** The page's main-thread CPU in one frame: p50, p95, max, ms. */
  perFrame: [number, number, number];
}

export interface FrameCosts {
  frames: number;
  long: FrameCost[];
  cpu?: ScrollCpu;
}

/** The frames (between the page's own stamps) longer than `minMs`, longest first, with their costs. */
export function longFrameCosts(events: TraceEvent[], minMs: number): FrameCosts {
  const threadName = new Map<string, string>();
  const processName = new Map<number, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
    if (e.name === 'process_name') processName.set(e.pid, e.args?.name ?? '?');
  }
  let stamps = events.filter((e) => e.name === 'TimeStamp' && e.args?.data?.message?.startsWith('f ')).sort((a, b) => a.ts - b.ts);
  if (stamps.length < 2) {
    // No stamps (another Chromium's console.timeStamp): the page's animation frame callbacks.
    const faf = events.filter((e) => e.name === 'FireAnimationFrame').sort((a, b) => a.ts - b.ts);
    stamps = faf
      .filter((e, i) => i === 0 || e.ts - faf[i - 1].ts > 2000)
      .map((e) => ({ ...e, args: { data: { message: 'f (no stamp)' } } }));
  }
  if (stamps.length < 2) return { frames: 0, long: [] };
  const mainKey = `${stamps[0].pid}:${stamps[0].tid}`;
  const spans = spansByThread(events);
  const nameOf = (k: string) =>
    `${processName.get(Number(k.split(':')[0])) ?? k}/${(threadName.get(k) ?? k).replace(/\d+$/, '*')}${k === mainKey ? ' (page)' : ''}`;
  const cpuIn = (s: Span, a: number, b: number) => (s.tdur * clip(s, a, b)) / s.dur / 1000 || 0;
  const [t0, t1] = [stamps[0].ts, stamps[stamps.length - 1].ts];
  const threadCpu = new Map<string, number>();
  for (const [k, list] of spans)
    for (const s of list) if (s.depth === 0) threadCpu.set(nameOf(k), (threadCpu.get(nameOf(k)) ?? 0) + cpuIn(s, t0, t1));
  const mainCpu = new Map<string, number>();
  const mainSpans = spans.get(mainKey) ?? [];
  for (const s of mainSpans) {
    const isGc = GC.test(s.name);
    if (!isGc && !WORK.has(s.name)) continue;
    const key = isGc ? `GC ${s.name}` : s.label;
    mainCpu.set(key, (mainCpu.get(key) ?? 0) + cpuIn(s, t0, t1));
  }
  const perFrame: number[] = [];
  for (let i = 1, j = 0; i < stamps.length; i++) {
    const [a, b] = [stamps[i - 1].ts, stamps[i].ts];
    while (j < mainSpans.length && mainSpans[j].end <= a) j++;
    let cpu = 0;
    for (let k = j; k < mainSpans.length && mainSpans[k].ts < b; k++) if (mainSpans[k].depth === 0) cpu += cpuIn(mainSpans[k], a, b);
    perFrame.push(cpu);
  }
  perFrame.sort((x, y) => x - y);
  const pct = (p: number) => perFrame[Math.min(perFrame.length - 1, Math.ceil((p / 100) * perFrame.length) - 1)];
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .filter(([, ms]) => ms >= 1)
      .sort((x, y) => y[1] - x[1])
      .slice(0, n);
  const cpu: ScrollCpu = {
    threads: top(threadCpu, 8),
    main: top(mainCpu, 14),
    perFrame: [pct(50), pct(95), perFrame[perFrame.length - 1]],
  };
  const long: FrameCost[] = [];
  for (let i = 1; i < stamps.length; i++) {
    const a = stamps[i - 1].ts;
    const b = stamps[i].ts;
    if ((b - a) / 1000 < minMs) continue;
    const threads = new Map<string, [number, number]>();
    for (const [k, list] of spans) {
      const pid = Number(k.split(':')[0]);
      const name = `${processName.get(pid) ?? pid}/${(threadName.get(k) ?? k).replace(/\d+$/, '*')}${k === mainKey ? ' (page)' : ''}`;
      for (const s of list) {
        if (s.depth !== 0 || s.end <= a || s.ts >= b) continue;
        const part = clip(s, a, b);
        const t = threads.get(name) ?? [0, 0];
        t[0] += part / 1000;
        t[1] += (s.tdur * part) / s.dur / 1000 || 0;
        threads.set(name, t);
      }
    }
    const main = new Map<string, number>();
    for (const s of spans.get(mainKey) ?? []) {
      if (s.end <= a || s.ts >= b) continue;
      const isGc = GC.test(s.name);
      if (!isGc && !WORK.has(s.name)) continue;
      const key = isGc ? `GC ${s.name}` : s.label;
      main.set(key, (main.get(key) ?? 0) + clip(s, a, b) / 1000);
    }
    long.push({
      // What the frame before did and rows waiting at its start, then rows waiting at the end.
      label: `${stamps[i - 1].args!.data!.message!.slice(2)} -> ${stamps[i].args!.data!.message!.replace(/^f \S+( \d+)? /, '')}`,
      ms: (b - a) / 1000,
      threads: [...threads]
        .map(([n, [w, c]]) => [n, w, c] as [string, number, number])
        .filter((t) => t[1] >= 1)
        .sort((x, y) => y[1] - x[1]),
      main: [...main]
        .filter(([, ms]) => ms >= 0.5)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 10),
    });
  }
  return { frames: stamps.length - 1, long: long.sort((x, y) => y.ms - x.ms), cpu };
}

/** Text lines for the log: the longest frames, each with its threads and main-thread work. */
export function describeLongFrames(r: FrameCosts, top = 8): string[] {
  const f = (x: number) => x.toFixed(1);
  const kinds = new Map<string, number>();
  for (const c of r.long) kinds.set(c.label.split(' ')[0], (kinds.get(c.label.split(' ')[0]) ?? 0) + 1);
  const lines = [`  trace: ${r.frames} frames, ${r.long.length} long (after: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`];
  if (r.cpu) {
    const [p50, p95, max] = r.cpu.perFrame;
    lines.push(`  CPU over the scroll, ms: ${r.cpu.threads.map(([n, ms]) => `${n} ${f(ms)}`).join('; ')}`);
    lines.push(`  page main thread CPU per frame: p50 ${f(p50)}, p95 ${f(p95)}, max ${f(max)} ms`);
    lines.push(`  page main thread CPU by kind (nested), ms: ${r.cpu.main.map(([n, ms]) => `${n} ${f(ms)}`).join('; ')}`);
  }
  for (const c of r.long.slice(0, top)) {
    lines.push(`    ${f(c.ms)} ms after [${c.label}]`);
    lines.push(`      threads (wall/cpu ms): ${c.threads.map(([n, w, cpu]) => `${n} ${f(w)}/${f(cpu)}`).join('; ')}`);
    lines.push(`      page main thread: ${c.main.map(([n, ms]) => `${n} ${f(ms)}`).join('; ') || 'nothing'}`);
  }
  return lines;
}
