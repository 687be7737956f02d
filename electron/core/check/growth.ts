// growth: image sizes against a baseline (a report of `stagescope analyze --json`, or a
// snapshot). Stages match by name, else by index; the final image is each report's target.
import type { CheckResult, GrowthFigure } from '../../../shared/check.ts';
import { formatBytes, formatDelta, formatPercentDelta } from '../../../shared/format.ts';
import type { BaselineSizes } from './baseline.ts';
import type { CheckConfig, GrowthBudget } from './config.ts';
import type { CheckContext } from './context.ts';

type Result = Omit<CheckResult, 'severity'>;

function baselineSize(baseline: BaselineSizes, stage: { index: number; name: string | null } | 'final'): number | null {
  const at = (index: number) => baseline.stages.find((s) => s.index === index);
  if (stage === 'final') return at(baseline.targetIndex)?.size ?? null;
  const byName = stage.name ? baseline.stages.find((s) => s.name?.toLowerCase() === stage.name!.toLowerCase()) : undefined;
  return (byName ?? at(stage.index))?.size ?? null;
}

export function evaluateGrowth(
  ctx: CheckContext,
  config: CheckConfig,
  stageKeys: Map<string, number>,
  baseline: BaselineSizes,
): { results: Result[]; figures: GrowthFigure[] } {
  const results: Result[] = [];
  const figures: GrowthFigure[] = [];
  const { model, report } = ctx.analysis;
  const one = (stage: number, which: 'final' | number, budget: GrowthBudget | undefined) => {
    const label = ctx.label(stage);
    const after = report.stages[stage]?.image?.size ?? null;
    const before = baselineSize(baseline, which === 'final' ? 'final' : model.stages[stage]);
    const base = { stage: label, stageIndex: stage, line: model.stages[stage].line };
    if (after === null || before === null) {
      if (budget)
        results.push({
          ...base,
          rule: 'growth',
          passed: false,
          message: `Stage ${label} has no size ${after === null ? 'in this build' : 'in the baseline'} to compare.`,
        });
      return;
    }
    const bytes = after - before;
    const percent = before > 0 ? (bytes / before) * 100 : null;
    if (!figures.some((f) => f.stage === label)) figures.push({ stage: label, before, after, bytes, percent });
    const change = `${formatDelta(bytes)}${percent !== null ? ` (${formatPercentDelta(percent / 100)})` : ''}, ${formatBytes(before)} -> ${formatBytes(after)}`;
    if (budget?.maxBytes !== undefined) {
      results.push({
        ...base,
        rule: 'growth.maxBytes',
        passed: bytes <= budget.maxBytes,
        bytes,
        limit: budget.maxBytes,
        actual: bytes,
        message: `Stage ${label} grew ${change} (at most ${formatBytes(budget.maxBytes)}).`,
      });
    }
    if (budget?.maxPercent !== undefined) {
      const p = percent ?? (bytes > 0 ? Infinity : 0);
      results.push({
        ...base,
        rule: 'growth.maxPercent',
        passed: p <= budget.maxPercent,
        bytes,
        limit: budget.maxPercent,
        actual: Number.isFinite(p) ? Number(p.toFixed(2)) : 'infinite',
        message: `Stage ${label} grew ${change} (at most ${budget.maxPercent}%).`,
      });
    }
  };
  one(ctx.target, 'final', config.growth?.final);
  for (const [key, budget] of Object.entries(config.growth?.stages ?? {})) {
    const stage = stageKeys.get(key)!;
    if (stage !== ctx.target) one(stage, stage, budget);
    else one(stage, 'final', budget);
  }
  return { results, figures };
}
