// The budget keys of `final:` and `stages:` (maxSize, maxLayers, minEfficiency, maxWasted,
// forbid, require), each one result per stage, and the stages they name resolved to indexes.
import type { CheckResult } from '../../../shared/check.ts';
import { formatBytes, formatPercent, plural } from '../../../shared/format.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import type { DockerfileModel } from '../../../shared/model.ts';
import { resolveStage } from '../dockerfile/plan.ts';
import { efficiency } from '../image/efficiency.ts';
import type { Budget, CheckConfig } from './config.ts';
import type { CheckContext } from './context.ts';
import { matcher } from './globs.ts';

type Result = Omit<CheckResult, 'severity'>;

/** `stages:` keys (and growth.stages keys) as stage indexes; a name that is no stage is a config error. */
export function configuredStages(config: CheckConfig, model: DockerfileModel): Map<string, number> {
  const out = new Map<string, number>();
  const check = (keys: string[], prefix: string) => {
    for (const key of keys) {
      try {
        out.set(key, resolveStage(model, key));
      } catch {
        const line = config.lines[`${prefix}.${key}`] ?? null;
        const known = model.stages.map((s) => s.name ?? String(s.index)).join(', ');
        throw new StageScopeError(
          'usage',
          `${config.source ?? 'config'}${line ? ` line ${line}` : ''}: ${prefix}.${key} names no stage of the Dockerfile (its stages: ${known}).`,
          'Use a stage name or index.',
          { line },
        );
      }
    }
  };
  check(Object.keys(config.stages ?? {}), 'stages');
  check(Object.keys(config.growth?.stages ?? {}), 'growth.stages');
  return out;
}

/** Efficiency with the ignored paths left out of the waste. */
export function stageEfficiency(ctx: CheckContext, stage: number): { score: number; wastedBytes: number } {
  const img = ctx.analysis.stages.get(stage)!;
  if (!ctx.hasIgnore) return img.efficiency;
  const all = efficiency(img.layers, img.tree, Number.MAX_SAFE_INTEGER);
  const wastedBytes = all.paths.filter((p) => !ctx.ignored(p.path)).reduce((s, p) => s + p.wastedBytes, 0);
  const layerBytes = img.layers.reduce((s, l) => s + l.size, 0);
  return { score: layerBytes === 0 ? 1 : Math.min(1, Math.max(0, 1 - wastedBytes / layerBytes)), wastedBytes };
}

export function evaluateBudget(ctx: CheckContext, stage: number, budget: Budget): Result[] {
  const label = ctx.label(stage);
  const base = { stage: label, stageIndex: stage, line: ctx.analysis.model.stages[stage].line };
  const report = ctx.analysis.report.stages[stage];
  const img = ctx.analysis.stages.get(stage);
  const keys = Object.keys(budget).filter((k) => budget[k as keyof Budget] !== undefined);
  if (!img || !report?.image) {
    return keys.map((k) => ({
      ...base,
      rule: k,
      passed: false,
      message: `Stage ${label} was not built, so its ${k} budget cannot be checked; build it (for example with all stages) and check again.`,
    }));
  }
  const out: Result[] = [];
  if (budget.maxSize !== undefined) {
    const size = report.image.size;
    out.push({
      ...base,
      rule: 'maxSize',
      passed: size <= budget.maxSize,
      bytes: size,
      limit: budget.maxSize,
      actual: size,
      message: `Stage ${label} is ${formatBytes(size)}${size <= budget.maxSize ? ', within' : ', over'} its budget of ${formatBytes(budget.maxSize)}.`,
    });
  }
  if (budget.maxLayers !== undefined) {
    const n = img.layers.length;
    out.push({
      ...base,
      rule: 'maxLayers',
      passed: n <= budget.maxLayers,
      limit: budget.maxLayers,
      actual: n,
      message: `Stage ${label} has ${n} layers (at most ${budget.maxLayers}).`,
    });
  }
  if (budget.minEfficiency !== undefined || budget.maxWasted !== undefined) {
    const eff = stageEfficiency(ctx, stage);
    const wastedPaths = img.efficiency.paths
      .filter((p) => !ctx.ignored(p.path))
      .slice(0, 10)
      .map((p) => p.path);
    if (budget.minEfficiency !== undefined) {
      out.push({
        ...base,
        rule: 'minEfficiency',
        passed: eff.score >= budget.minEfficiency,
        limit: budget.minEfficiency,
        actual: Number(eff.score.toFixed(4)),
        paths: wastedPaths,
        message: `Stage ${label} efficiency is ${formatPercent(eff.score)} (at least ${formatPercent(budget.minEfficiency)}; StageScope's efficiency, waste counted once per path).`,
      });
    }
    if (budget.maxWasted !== undefined) {
      out.push({
        ...base,
        rule: 'maxWasted',
        passed: eff.wastedBytes <= budget.maxWasted,
        bytes: eff.wastedBytes,
        limit: budget.maxWasted,
        actual: eff.wastedBytes,
        paths: wastedPaths,
        message: `Stage ${label} wastes ${formatBytes(eff.wastedBytes)} (at most ${formatBytes(budget.maxWasted)}).`,
      });
    }
  }
  if (budget.forbid?.length) {
    const forbidden = matcher(budget.forbid);
    const hits: { path: string; size: number; layer: number }[] = [];
    for (const meta of img.tree.walk()) {
      if (forbidden(meta.path, meta.type === 'dir'))
        hits.push({ path: meta.path, size: meta.type === 'file' ? meta.size : 0, layer: stage === ctx.target ? ctx.writerOf(meta) : -1 });
    }
    const bytes = hits.reduce((s, h) => s + h.size, 0);
    const first = hits.find((h) => h.layer >= 0);
    const origin = first ? ctx.origin(stage, first.layer) : null;
    out.push({
      ...base,
      rule: 'forbid',
      passed: hits.length === 0,
      line: origin?.line ?? base.line,
      layer: first?.layer ?? null,
      bytes,
      paths: hits.slice(0, 20).map((h) => h.path),
      limit: budget.forbid.join(', '),
      actual: hits.length,
      message:
        hits.length === 0
          ? `Stage ${label} has nothing that ${budget.forbid.join(', ')} forbids.`
          : `Stage ${label} has ${plural(hits.length, 'forbidden path')} (${formatBytes(bytes)}), first ${hits[0].path}${origin ? `, written by ${ctx.describe(origin)}` : ''}.`,
    });
  }
  if (budget.require?.length) {
    const missing = budget.require.filter((g) => {
      const m = matcher([g]);
      for (const meta of img.tree.walk()) if (m(meta.path)) return false;
      return true;
    });
    out.push({
      ...base,
      rule: 'require',
      passed: missing.length === 0,
      paths: missing,
      limit: budget.require.join(', '),
      actual: budget.require.length - missing.length,
      message:
        missing.length === 0
          ? `Stage ${label} has every required path (${budget.require.join(', ')}).`
          : `Stage ${label} lacks ${missing.join(', ')}.`,
    });
  }
  return out;
}
