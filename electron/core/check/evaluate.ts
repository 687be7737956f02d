// Runs every check on one analysis: the budgets of `final:` and `stages:`, growth against a
// baseline, dive's CI rules, the measured rules and BuildKit's own checks, and puts the
// results in the order people read them (failures first, errors before warnings).
import { relative } from 'node:path';
import { MEASURED_RULES, type CheckReport, type CheckResult, type Severity } from '../../../shared/check.ts';
import { formatBytes, formatPercent, stageLabel } from '../../../shared/format.ts';
import { failureLabel } from '../../../shared/failure.ts';
import type { Baseline } from './baseline.ts';
import type { Analysis } from '../project/analyze.ts';
import { NOT_AVAILABLE } from './buildkit.ts';
import { configuredStages, evaluateBudget } from './budgets.ts';
import type { CheckConfig } from './config.ts';
import { CheckContext, type HeadReader } from './context.ts';
import type { DiveCiRules } from './dive-ci.ts';
import { diveEfficiency } from './dive-efficiency.ts';
import { matcher } from './globs.ts';
import { evaluateGrowth } from './growth.ts';
import { RULES } from './rules/index.ts';

export interface CheckInput {
  analysis: Analysis;
  config: CheckConfig;
  /** The project folder: SARIF and GitHub annotations name the Dockerfile relative to it. */
  projectDir: string;
  dive?: DiveCiRules | null;
  baseline?: Baseline | null;
  readHeads?: HeadReader | null;
  buildkit?: { info: CheckReport['buildkitChecks']; results: Omit<CheckResult, 'severity'>[] };
}

type Unrated = Omit<CheckResult, 'severity'>;
const RANK: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

export function sortResults(results: CheckResult[]): CheckResult[] {
  return [...results].sort(
    (a, b) =>
      Number(a.passed) - Number(b.passed) ||
      RANK[a.severity] - RANK[b.severity] ||
      (a.stageIndex ?? -1) - (b.stageIndex ?? -1) ||
      (a.line ?? 0) - (b.line ?? 0),
  );
}

export function summarize(results: CheckResult[]): CheckReport['summary'] {
  const failed = (s: Severity) => results.filter((r) => !r.passed && r.severity === s).length;
  return { errors: failed('error'), warnings: failed('warn'), infos: failed('info'), passed: results.filter((r) => r.passed).length };
}

/** The report of a check whose build or analysis failed (exit 3). */
export function errorReport(dockerfile: string, projectDir: string, message: string, config: CheckConfig | null): CheckReport {
  return {
    status: 'error',
    dockerfile,
    dockerfilePath: relative(projectDir, dockerfile) || dockerfile,
    target: '',
    targetIndex: -1,
    config: config?.source ?? null,
    semantics: [],
    buildkitChecks: { available: false, message: NOT_AVAILABLE },
    finalSize: null,
    baseline: null,
    growth: [],
    notes: [],
    results: [],
    summary: { errors: 0, warnings: 0, infos: 0, passed: 0 },
    error: message,
  };
}

function diveResults(ctx: CheckContext, rules: DiveCiRules): Unrated[] {
  const d = diveEfficiency(ctx.final.layers, ctx.final.changes);
  const base = { stage: ctx.label(ctx.target), stageIndex: ctx.target, line: ctx.analysis.model.stages[ctx.target].line };
  const out: Unrated[] = [];
  if (rules.lowestEfficiency !== undefined) {
    out.push({
      ...base,
      rule: 'dive.lowestEfficiency',
      passed: d.score >= rules.lowestEfficiency,
      limit: rules.lowestEfficiency,
      actual: Number(d.score.toFixed(4)),
      message: `dive efficiency ${formatPercent(d.score)} (lowest allowed ${formatPercent(rules.lowestEfficiency)}; dive's semantics).`,
    });
  }
  if (rules.highestWastedBytes !== undefined) {
    out.push({
      ...base,
      rule: 'dive.highestWastedBytes',
      passed: d.wastedBytes <= rules.highestWastedBytes,
      bytes: d.wastedBytes,
      limit: rules.highestWastedBytes,
      actual: d.wastedBytes,
      message: `dive wasted bytes ${formatBytes(d.wastedBytes)} (highest allowed ${formatBytes(rules.highestWastedBytes)}; dive's semantics, the kept copy counted as waste too).`,
    });
  }
  if (rules.highestUserWastedPercent !== undefined) {
    out.push({
      ...base,
      rule: 'dive.highestUserWastedPercent',
      passed: d.userWastedPercent <= rules.highestUserWastedPercent,
      limit: rules.highestUserWastedPercent,
      actual: Number(d.userWastedPercent.toFixed(4)),
      message: `dive user wasted ${formatPercent(d.userWastedPercent)} of the bytes above the base layer (highest allowed ${formatPercent(rules.highestUserWastedPercent)}; dive's semantics).`,
    });
  }
  return out;
}

export async function evaluateChecks(input: CheckInput): Promise<CheckReport> {
  const { analysis, config } = input;
  const dockerfile = analysis.report.dockerfile;
  const target = analysis.plan.target;
  const failure = analysis.outcome.failure;
  if (failure || !analysis.stages.get(target)) {
    const why = failure
      ? `${failureLabel(failure)}: ${failure.message}`
      : `the target ${stageLabel(analysis.model.stages[target])} was not built`;
    return errorReport(dockerfile, input.projectDir, why, config);
  }
  const notes: string[] = [];
  const ctx = new CheckContext(analysis, matcher(config.ignore ?? []), input.readHeads ?? null, (config.ignore ?? []).length > 0);
  const stageKeys = configuredStages(config, analysis.model);
  const rated: CheckResult[] = [];
  const rate = (rs: Unrated[], severity: Severity) => rs.forEach((r) => rated.push({ ...r, severity }));

  if (config.final) rate(evaluateBudget(ctx, target, config.final), 'error');
  for (const [key, budget] of Object.entries(config.stages ?? {})) rate(evaluateBudget(ctx, stageKeys.get(key)!, budget), 'error');

  let growth: CheckReport['growth'] = [];
  if (input.baseline) {
    const g = evaluateGrowth(ctx, config, stageKeys, input.baseline.sizes);
    rate(g.results, 'error');
    growth = g.figures;
    if (config.ignore?.length) notes.push('ignore is not applied to growth: growth compares image sizes.');
  } else if (config.growth) {
    notes.push('growth budgets were not checked: no --baseline was given.');
  }
  if (input.dive) rate(diveResults(ctx, input.dive), 'error');

  for (const id of MEASURED_RULES) {
    const level = config.rules?.[id] ?? RULES[id].defaultSeverity;
    if (level === 'off') continue;
    const findings = await RULES[id].run(ctx, notes);
    if (findings.length === 0) {
      rated.push({
        rule: id,
        severity: level,
        passed: true,
        stage: ctx.label(target),
        stageIndex: target,
        line: null,
        message: RULES[id].passMessage,
      });
    } else {
      for (const f of findings) rated.push({ ...f, rule: id, severity: level, passed: false });
    }
  }
  if (input.buildkit) rate(input.buildkit.results, 'warn');

  const results = sortResults(rated);
  const summary = summarize(results);
  return {
    status: summary.errors > 0 ? 'fail' : 'pass',
    dockerfile,
    dockerfilePath: relative(input.projectDir, dockerfile) || dockerfile,
    target: ctx.label(target),
    targetIndex: target,
    config: config.source,
    semantics: [
      "minEfficiency and maxWasted: StageScope's efficiency (a path's waste counted once)",
      ...(input.dive ? [`${input.dive.source}: dive's efficiency and wasted bytes (dive's semantics)`] : []),
    ],
    buildkitChecks: input.buildkit?.info ?? { available: false, message: NOT_AVAILABLE },
    finalSize: analysis.report.stages[target].image?.size ?? null,
    baseline: input.baseline?.label ?? null,
    growth,
    notes,
    results,
    summary,
  };
}
