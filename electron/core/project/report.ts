// Puts the analysis together into the Report that the CLI prints and the app shows.
import type { BuildOptions, CopyRecord, DockerfileModel, EngineInfo, Report, Sizes, StageReport, TargetPlan } from '../../../shared/model.ts';
import { stageLabel } from '../../../shared/format.ts';
import type { BuildOutcome } from './build-stages.ts';
import { layerSummaries, type AnalyzedImage } from './stage-analysis.ts';

export interface ReportInput {
  model: DockerfileModel;
  plan: TargetPlan;
  options: BuildOptions;
  engine: EngineInfo;
  outcome: BuildOutcome;
  stages: Map<number, AnalyzedImage>;
  /** Image size per built stage, as the engine reports it. */
  sizes: Map<number, number>;
  copies: CopyRecord[];
  warnings: string[];
  toBuild: number[];
}

/** The final image next to the largest stage it was built from (its builders). */
export function computeSizes(plan: TargetPlan, sizes: Map<number, number>): Sizes {
  const final = sizes.get(plan.target) ?? 0;
  let largest: Sizes['largestBuilder'] = null;
  for (const index of plan.buildkit) {
    if (index === plan.target) continue;
    const size = sizes.get(index);
    if (size !== undefined && (!largest || size > largest.size)) largest = { stage: index, size };
  }
  return { final, largestBuilder: largest, saved: largest ? largest.size - final : null };
}

export function assembleReport(input: ReportInput): Report {
  const { model, plan, outcome } = input;
  const stages: StageReport[] = model.stages.map((stage) => {
    const analyzed = input.stages.get(stage.index);
    const built = outcome.built.get(stage.index);
    return {
      index: stage.index,
      name: stage.name,
      base: stage.base,
      dependsOn: stage.dependsOn,
      needed: plan.buildkit.includes(stage.index),
      built: Boolean(analyzed),
      tag: built?.tag ?? null,
      image: built ? { id: built.imageId, size: input.sizes.get(stage.index) ?? 0 } : null,
      layers: analyzed ? layerSummaries(analyzed) : [],
      fileCount: analyzed?.tree.fileCount ?? 0,
      totalBytes: analyzed?.tree.totalBytes ?? 0,
      efficiency: analyzed?.efficiency ?? { score: 1, wastedBytes: 0, paths: [] },
      failure: outcome.failure?.stage === stage.index ? outcome.failure : null,
    };
  });
  return {
    dockerfile: model.path,
    engine: input.engine,
    builder: input.options.builder ?? 'buildkit',
    target: stageLabel(model.stages[plan.target]),
    targetIndex: plan.target,
    warnings: input.warnings,
    stages,
    copies: input.copies,
    sizes: computeSizes(plan, input.sizes),
  };
}
