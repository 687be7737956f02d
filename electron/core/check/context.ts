// What every rule sees: the analysis, the target's image, the `ignore` globs, and the two
// questions most findings need answered: which layer wrote this file, and which Dockerfile
// line made that layer (through the stages a stage is built FROM, down to its base image).
import type { FileMeta, Instruction } from '../../../shared/model.ts';
import type { CheckResult } from '../../../shared/check.ts';
import { stageLabel } from '../../../shared/format.ts';
import type { Analysis } from '../project/analyze.ts';
import type { AnalyzedImage } from '../project/stage-analysis.ts';
import type { PathMatcher } from './globs.ts';

/** A rule's finding; evaluate() adds the rule id, severity and passed:false. */
export type Finding = Omit<CheckResult, 'rule' | 'severity' | 'passed'>;

/** File heads by content hash (sha256 hex), read from the image's layers on demand. */
export type HeadReader = (imageId: string, wanted: { path: string; hash: string; size: number }[]) => Promise<Map<string, Buffer>>;

export interface LayerOrigin {
  /** The Dockerfile line, or null when the layer's instruction is unknown. */
  line: number | null;
  /** The instruction at that line (FROM for layers of a base image). */
  instruction: Instruction | null;
  /** The stage whose instruction made it. */
  stage: number;
}

export class CheckContext {
  readonly target: number;
  readonly final: AnalyzedImage;
  private writers: Map<FileMeta, number> | null = null;

  constructor(
    readonly analysis: Analysis,
    readonly ignored: PathMatcher,
    readonly readHeads: HeadReader | null,
    /** True when the config has `ignore:` globs (efficiency is then recomputed without them). */
    readonly hasIgnore = false,
  ) {
    this.target = analysis.plan.target;
    this.final = analysis.stages.get(this.target)!;
  }

  label(stage: number): string {
    return stageLabel(this.analysis.model.stages[stage]);
  }

  /** Stages the target needs (the ones that reach it), ascending. */
  get closure(): number[] {
    return this.analysis.plan.buildkit;
  }

  /** The layer of the target image that wrote this very entry, or -1. */
  writerOf(meta: FileMeta): number {
    if (!this.writers) {
      this.writers = new Map();
      this.final.layers.forEach((layer, i) => {
        for (const e of layer.entries) this.writers!.set(e, i);
      });
    }
    const exact = this.writers.get(meta);
    if (exact !== undefined) return exact;
    // A hardlink resolved against a lower layer is a copy: take the last layer with the path.
    for (let i = this.final.layers.length - 1; i >= 0; i--) if (this.final.layers[i].entries.some((e) => e.path === meta.path)) return i;
    return -1;
  }

  /** Which line made layer `layer` of stage `stage`'s image. */
  origin(stage: number, layer: number): LayerOrigin {
    const model = this.analysis.model;
    const img = this.analysis.stages.get(stage);
    const st = model.stages[stage];
    const line = img?.lines[layer] ?? null;
    if (line !== null) return { line, instruction: st.instructions.find((i) => i.line === line) ?? null, stage };
    if (st.base.kind === 'stage' && st.base.stage !== undefined) {
      const base = this.analysis.stages.get(st.base.stage);
      if (base && layer < base.image.layers.length) return this.origin(st.base.stage, layer);
    }
    // Leading layers without a line come from the base image: its FROM brought them.
    const firstOwn = img ? img.lines.findIndex((l) => l !== null) : -1;
    if (firstOwn === -1 || layer < firstOwn) {
      const from: Instruction = {
        keyword: 'FROM',
        line: st.line,
        endLine: st.line,
        text: `FROM ${st.base.ref ?? 'scratch'}`,
        flags: [],
        heredocs: [],
        args: null,
      };
      return { line: st.line, instruction: from, stage };
    }
    return { line: null, instruction: null, stage };
  }

  /**
   * "line 12 (RUN apt-get …)" or "a layer whose line is unknown", for messages. Without the
   * instruction text when it may hold the very secret being reported (`echo KEY > file`).
   */
  describe(origin: LayerOrigin, withText = true): string {
    if (origin.line === null) return 'a layer whose line is unknown';
    const text = withText ? (origin.instruction?.text.split('\n')[0] ?? '') : '';
    const short = text.length > 60 ? `${text.slice(0, 59)}…` : text;
    const where = origin.stage === this.target ? '' : ` of stage ${this.label(origin.stage)}`;
    return `line ${origin.line}${where}${short ? ` (${short})` : ''}`;
  }
}

/** The largest first: the paths a finding lists. */
export function topPaths(entries: { path: string; size: number }[], n = 10): string[] {
  return [...entries]
    .sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1))
    .slice(0, n)
    .map((e) => e.path);
}
