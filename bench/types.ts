// Shapes the benchmark's parts exchange (child process -> parent -> table / JSON / markdown).

export interface StageFigure {
  index: number;
  name: string | null;
  imageId: string;
  files: number;
  bytes: number;
}

/** What one analysis child process measured. */
export interface ChildResult {
  /** The analysis (cached builds included), what the app asks after it, the diffs of consecutive stages. */
  wallMs: number;
  /** From the start of the export to the end: what competes with `docker save`. */
  analysisMs: number;
  /** CPU (user + system) of the process over wallMs. */
  cpuMs: number;
  /** CPU of analyzeDockerfile alone, before the diffs of consecutive stages (which build every tree). */
  analysisCpuMs: number;
  /** CPU of the analysis plus what the app asks for after a build (checks, history, comparison). */
  appCpuMs: number;
  /** appCpuMs plus opening the Diff tab (its default pair: summary and first page of rows). */
  diffTabCpuMs: number;
  maxRssMB: number;
  /** Distinct layers of the stage images, and how many of them were parsed (not from the cache). */
  layers: number;
  layersParsed: number;
  layerEntries: number;
  /** Bytes of the distinct layer tars (uncompressed). */
  layerTarBytes: number;
  stages: StageFigure[];
  /** (3) diff of the two largest stages, median of a few runs in the same process. */
  diff: { stages: [number, number]; ms: number; entries: number };
}

export interface Target {
  id: string;
  what: string;
  /** null: not measured. */
  met: boolean | null;
  detail: string;
}

export interface BenchResult {
  variant: 'full' | 'quick';
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGB: number; node: string; engine: string };
  runs: number;
  fixture: { stages: StageFigure[]; layers: number; layerEntries: number; layerTarBytes: number };
  /** (1) docker save of every stage image to /dev/null, median ms. */
  saveMs: number;
  /** (2) analysis in a child process: medians. */
  analysis: {
    wallMs: number;
    analysisMs: number;
    cpuMs: number;
    analysisCpuMs: number;
    appCpuMs: number;
    diffTabCpuMs: number;
    maxRssMB: number;
    layersParsed: number;
  };
  /** (3) diff of the two largest stages. */
  diff: { stages: [number, number]; ms: number; entries: number };
  /** (4) re-analysis after the final stage's last instruction changed: medians. */
  reanalysis: {
    wallMs: number;
    analysisMs: number;
    cpuMs: number;
    analysisCpuMs: number;
    appCpuMs: number;
    diffTabCpuMs: number;
    layersParsed: number;
    layers: number;
  };
  /** (5) builds, ms. */
  builds: { coldStageByStage: number; coldFinal: number; warmStageByStage: number; warmFinal: number };
  /** (6) browser figures, or why they are missing. */
  browser: BrowserFigures | { notMeasured: string };
  /** (7) the bounds moved out of the tests (bench/bounds.ts), one run each. */
  bounds: BoundFigure[];
  targets: Target[];
}

/** (6) The Stage tab's tree in Chromium, ms (see bench/browser.ts). */
export interface BrowserFigures {
  /** Rows of the expanded tree. */
  nodes: number;
  /** Stage tab click -> first frame showing the (collapsed) tree. */
  openPaintMs?: number;
  /** "Expand all" click -> first frame showing the expanded tree. */
  firstPaintMs: number;
  longestScrollFrameMs: number;
  longestExpandFrameMs: number;
  /** The longest frame over 2 s of an idle page: the machine's own noise, for comparison. */
  longestIdleFrameMs?: number;
  /**
   * Every frame of the three rounds (expand-all: click to 1 s after the paint; scroll: the
   * scripted scroll), pooled: p95 and max. `underLoad`: a second process kept one core busy.
   */
  frames?: {
    underLoad: boolean;
    expand: FrameSpread;
    scroll: FrameSpread;
    /** Scroll frames (all rounds) that showed a row in view still waiting for its page. */
    scrollWaiting?: number;
  };
  /** The Long Animation Frames (>= 50 ms) of the three rounds, summed: where their time went. */
  longFrames?: { expand: LongFrames; scroll: LongFrames };
  /** CPU time of the page's renderer process (all threads) and its main thread, summed over the rounds, ms. */
  cpu?: { expand: { processMs: number; threadMs: number }; scroll: { processMs: number; threadMs: number } };
  /** Each round's own figures (the ones above are their medians). */
  rounds?: { firstPaintMs: number; longestExpandFrameMs: number; longestScrollFrameMs: number; longestIdleFrameMs: number }[];
}

/** Chromium's Long Animation Frames summed: all their time, script, style + layout; the top scripts. */
export interface LongFrames {
  count: number;
  ms: number;
  scriptMs: number;
  layoutMs: number;
  /** The scripts (invoker type and name) that took longest, ms. */
  top: [string, number][];
}

export interface FrameSpread {
  p95Ms: number;
  maxMs: number;
  /** How many frames the figures are of. */
  frames: number;
  /** How many of them took more than 40 ms (three vsyncs or more). */
  over40?: number;
}

/** (7) One bound that a test used to assert, measured (bench/bounds.ts). */
export interface BoundFigure {
  id: string;
  what: string;
  /** The test that proves the behaviour (and once asserted this bound). */
  test: string;
  ms: number;
  limitMs: number;
  /** Peak RSS, MB (for the preview: its growth), where measured. */
  rssMB?: number;
  limitRssMB?: number;
  note?: string;
}
