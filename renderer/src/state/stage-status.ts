// What every view says about a stage: its state, where its image comes from, and why it has
// none. One set of rules for the graph, the stage list and the Build, Stage, Diff, COPY --from
// and Sizes views, so they never disagree.
import type { BuildFailure } from '../../../shared/model.ts';
import type { AppState } from './app.svelte.ts';
import type { StageBuildState } from './build.svelte.ts';
import { formatClock } from '../lib/clock.ts';
import { atLine, stageWord } from '../../../shared/failure.ts';

/** Live while a build runs, else what the current report can show (its images): a stage is
 *  never "built" beside the stages it needs shown "not built". */
export function stageState(app: AppState, index: number): StageBuildState {
  const live = app.build.stageState(index);
  if (app.build.running && live !== 'not built') return live;
  const r = app.report?.stages[index];
  if (r?.failure) return 'failed';
  if (r?.built) return 'built';
  return live === 'failed' ? 'failed' : 'not built';
}

/** Where a stage's image comes from: "image from the build at 10:42". */
export function imageSource(app: AppState, index: number): string | null {
  const report = app.report;
  if (!report?.stages[index]?.built || report.builtAt === undefined) return null;
  const earlier = app.build.startedAt !== null && app.build.startedAt > report.builtAt;
  return `image from the ${earlier ? 'earlier ' : ''}build at ${formatClock(report.builtAt)}`;
}

/** The failure of the last build, if a step failed. */
export function lastFailure(app: AppState): BuildFailure | null {
  return app.report?.stages.find((s) => s.failure)?.failure ?? app.build.failures[0] ?? null;
}

/** Does stage `index` depend on `on`, directly or through other stages? */
export function needs(app: AppState, index: number, on: number): boolean {
  const stages = app.model?.stages ?? app.report?.stages ?? [];
  const seen = new Set<number>();
  const walk = (i: number): boolean => {
    if (seen.has(i)) return false;
    seen.add(i);
    return (stages[i]?.dependsOn ?? []).some((d) => d === on || walk(d));
  };
  return walk(index);
}

/** Why a stage has no image to inspect, in a few words, or null when it has one. */
export function whyNotBuilt(app: AppState, index: number): string | null {
  const r = app.report?.stages[index];
  if (r?.built) return null;
  const f = lastFailure(app);
  if (f && f.stage === index) return `${stageWord(app.label(index))} failed${atLine(f)}`;
  if (f && needs(app, index, f.stage)) return `it needs ${stageWord(app.label(f.stage))}, which failed${atLine(f)}`;
  if (app.build.running) return 'the build is still running';
  if (app.build.outcome === 'cancelled' && !(r && !r.needed)) return 'the build was cancelled';
  if (r && !r.needed) return 'the target does not need it (tick "all stages" to build it)';
  return app.report ? 'it was not part of the last build' : 'nothing has been built yet';
}
