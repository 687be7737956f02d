// Puts the analysis together into the Report that the CLI prints and the app shows.
import type { BuildOptions, CopyRecord, DockerfileModel, EngineInfo, Report, StageReport, TargetPlan } from '../../../shared/model.ts';
import { stageSizes } from '../image/sizes.ts';
import { stageLabel } from '../../../shared/format.ts';
import type { StagesOutcome } from './build-stages.ts';
import { layerSummaries, type AnalyzedImage } from './stage-analysis.ts';

export interface ReportInput {
  model: DockerfileModel;
  plan: TargetPlan;
  options: BuildOptions;
  engine: EngineInfo;
  outcome: StagesOutcome;
  stages: Map<number, AnalyzedImage>;
  /** Image size per built stage, as the engine reports it. */
  sizes: Map<number, number>;
  copies: CopyRecord[];
  warnings: string[];
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
      fileCount: analyzed?.summary.fileCount ?? 0,
      totalBytes: analyzed?.summary.totalBytes ?? 0,
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
    // The final image against the stages it was built from (the target's closure).
    sizes: stageSizes(
      [...input.sizes].sort((a, b) => a[0] - b[0]).map(([index, size]) => ({ index, size })),
      plan.target,
      plan.buildkit,
    ),
  };
}
