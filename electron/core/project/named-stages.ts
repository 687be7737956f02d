// Analyses of stages named by the user (`stagescope diff A B`, `ls DIR STAGE`, a diff the UI
// asks for): only what those stages need is built (their dependency closures), and a stage
// that could not be built is one error that names the failure.
import type { Connection } from '../docker/connection.ts';
import { readDockerfile } from '../dockerfile/parse.ts';
import { dependencyClosure, resolveStage } from '../dockerfile/plan.ts';
import { semanticDiff, type IgnorableReason, type IncludableReason } from '../image/semantic-diff.ts';
import type { DiffWithMoves } from '../image/moves.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { failureLabel } from '../../../shared/failure.ts';
import { stageLabel } from '../../../shared/format.ts';
import type { DockerfileModel } from '../../../shared/model.ts';
import { analyzeDockerfile, type Analysis, type AnalysisInput } from './analyze.ts';
import type { AnalyzedImage } from './stage-analysis.ts';
import type { AnalyzeHooks } from './types.ts';

export interface NamedStagesInput extends Omit<AnalysisInput, 'stages'> {
  /** Stage names (case-insensitive), indexes or `stage-N` labels. */
  stages: string[];
}

export interface NamedStage {
  index: number;
  label: string;
  image: AnalyzedImage;
}

/**
 * Builds and analyzes what the named stages need. `connect` is called only once every name is
 * known to be a stage, so a typo is a usage error even when the engine is down.
 */
export async function analyzeNamedStages(
  connect: () => Promise<Connection>,
  input: NamedStagesInput,
  hooks: AnalyzeHooks = {},
): Promise<{ analysis: Analysis; stages: NamedStage[] }> {
  const model = await readDockerfile(input.dockerfile, { buildArgs: input.options.buildArgs });
  const indexes = input.stages.map((ref) => resolveStage(model, ref));
  const analysis = await analyzeDockerfile(await connect(), { ...input, stages: dependencyClosure(model, ...indexes) }, hooks);
  return { analysis, stages: indexes.map((index) => builtStage(analysis, index)) };
}

function builtStage(analysis: Analysis, index: number): NamedStage {
  const label = stageLabel(analysis.model.stages[index]!);
  const image = analysis.stages.get(index);
  if (image) return { index, label, image };
  const failure = analysis.outcome.failure;
  if (!failure) throw new StageScopeError('build', `Stage ${label} could not be built.`, 'Fix the build and try again.');
  const instruction = failure.instruction ? ` (${failure.instruction.split('\n')[0]})` : '';
  throw new StageScopeError(
    'build',
    `Stage ${label} could not be built: ${failureLabel(failure)}${instruction}: ${failure.message}`,
    'Fix the build and try again.',
    { failure },
  );
}

export interface StageDiff {
  model: DockerfileModel;
  before: NamedStage;
  after: NamedStage;
  diff: DiffWithMoves;
}

/** Two stages of one Dockerfile, built as far as they need, and what changed from `a` to `b`. */
export async function diffNamedStages(
  connect: () => Promise<Connection>,
  input: Omit<NamedStagesInput, 'stages'> & {
    a: string;
    b: string;
    ignore?: readonly IgnorableReason[];
    include?: readonly IncludableReason[];
  },
  hooks: AnalyzeHooks = {},
): Promise<StageDiff> {
  const { a, b, ignore, include, ...rest } = input;
  const { analysis, stages } = await analyzeNamedStages(connect, { ...rest, stages: [a, b] }, hooks);
  const [before, after] = stages as [NamedStage, NamedStage];
  return { model: analysis.model, before, after, diff: semanticDiff(before.image.tree, after.image.tree, { ignore, include }) };
}
