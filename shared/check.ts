// What `stagescope check` reports: plain JSON-safe data shared by the engine, the CLI formats
// and the UI's Checks view.

export type Severity = 'error' | 'warn' | 'info';
export type RuleLevel = 'off' | Severity;

/** StageScope's measured rules, each configurable under `rules:` in .stagescope.yml. */
export const MEASURED_RULES = [
  'package-caches-in-final',
  'hidden-by-rm',
  'secrets-in-layers',
  'toolchain-in-final',
  'whole-stage-copy',
  'duplicate-content',
  'unused-stage',
] as const;
export type MeasuredRule = (typeof MEASURED_RULES)[number];

export interface CheckResult {
  /** A measured rule id, a budget key (`maxSize`, `growth.maxPercent`, `dive.lowestEfficiency`) or `buildkit.<rule>`. */
  rule: string;
  severity: Severity;
  passed: boolean;
  /** Stage label (name or `stage-N`), null for results about the whole Dockerfile. */
  stage: string | null;
  stageIndex: number | null;
  /** 1-based Dockerfile line the result points at, when known. */
  line: number | null;
  /** Layer of the stage image the finding is in, when known. */
  layer?: number | null;
  message: string;
  bytes?: number;
  /** Paths in the image (never file contents). */
  paths?: string[];
  limit?: number | string;
  actual?: number | string;
}

export interface BuildkitChecks {
  available: boolean;
  /** "BuildKit checks: not available on this engine" or how many warnings it gave. */
  message: string;
}

export interface GrowthFigure {
  stage: string;
  before: number;
  after: number;
  bytes: number;
  percent: number | null;
}

export interface CheckReport {
  status: 'pass' | 'fail' | 'error';
  /** Absolute path of the Dockerfile, and relative to the project folder (SARIF, GitHub annotations). */
  dockerfile: string;
  dockerfilePath: string;
  target: string;
  targetIndex: number;
  /** The config file used, or null for the defaults. */
  config: string | null;
  /** Which efficiency the budgets used: StageScope's own, and dive's for `--dive-ci` rules. */
  semantics: string[];
  buildkitChecks: BuildkitChecks;
  finalSize: number | null;
  baseline: string | null;
  growth: GrowthFigure[];
  /** Things the reader should know (a rule that could not run, what ignore did not cover). */
  notes: string[];
  results: CheckResult[];
  summary: { errors: number; warnings: number; infos: number; passed: number };
  /** Set when status is "error": the build or the analysis failed. */
  error?: string;
}
