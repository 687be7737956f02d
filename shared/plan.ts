// Which stages a build touches. One rule for the engine (what it builds) and the UI (what it
// shows queued), so the two never disagree.
import type { BuildOptions, TargetPlan } from './model.ts';

/** Every stage with "all stages", else the target's plan for the builder (BuildKit by default). */
export function plannedStages(
  model: { stages: readonly { index: number }[] },
  plan: TargetPlan,
  options: Pick<BuildOptions, 'allStages' | 'builder'>,
): number[] {
  if (options.allStages) return model.stages.map((s) => s.index);
  return options.builder === 'classic' ? plan.classic : plan.buildkit;
}
