// Which stages a target needs. BuildKit builds the target's dependency closure only; the classic
// builder walks the file top to bottom and builds every stage up to the target.
import { stageLabel } from '../../../shared/format.ts';
import type { DockerfileModel, TargetPlan } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';

/**
 * A stage by name (case-insensitive; a name declared twice is its last declaration, as for
 * BuildKit's --target), by index, or by its `stage-N` label.
 */
export function resolveStage(model: DockerfileModel, ref: string): number {
  const key = ref.trim().toLowerCase();
  const named = model.stages.findLast((s) => s.name !== null && s.name.toLowerCase() === key);
  if (named) return named.index;
  const index = /^\d+$/.test(key) ? Number(key) : /^stage-\d+$/.test(key) ? Number(key.slice(6)) : -1;
  if (index >= 0 && index < model.stages.length) return index;
  const known = model.stages.map((s) => `${s.index}${s.name ? ` (${s.name})` : ''}`).join(', ');
  throw new StageScopeError('usage', `There is no stage "${ref}" in ${model.path}.`, `Use a stage name or index: ${known}.`, {
    ref,
    stages: model.stages.map(stageLabel),
  });
}

/** Every stage the targets need, themselves included, ascending (what BuildKit builds for them). */
export function dependencyClosure(model: DockerfileModel, ...targets: number[]): number[] {
  const needed = new Set<number>();
  const pending = [...targets];
  while (pending.length) {
    const index = pending.pop() as number;
    if (needed.has(index)) continue;
    needed.add(index);
    pending.push(...model.stages[index].dependsOn);
  }
  return [...needed].sort((a, b) => a - b);
}

export function planTarget(model: DockerfileModel, target?: string): TargetPlan {
  const index = target === undefined ? model.stages.length - 1 : resolveStage(model, target);
  return {
    target: index,
    buildkit: dependencyClosure(model, index),
    classic: model.stages.slice(0, index + 1).map((s) => s.index),
  };
}
