// The history and lineage commands (issue 11): `history`, `compare`, `diff-images`, `why`,
// `left-behind`. Parsing lives here too, so args.ts and main.ts only route to it.
import type { analyzeDockerfile } from '../core/project/analyze.ts';
import { resolveStage } from '../core/dockerfile/plan.ts';
import { LayerCache } from '../core/image/cache/index.ts';
import { semanticDiff, type IgnorableReason, type IncludableReason } from '../core/image/semantic-diff.ts';
import { analyzeOneImage } from '../core/source/inspect.ts';
import { compareAnalysis } from '../core/history/compare.ts';
import { resolveBaseline, SnapshotStore, snapshotSummary, type ComparableSnapshot } from '../core/history/index.ts';
import { whyPath } from '../core/lineage/why.ts';
import { leftBehind } from '../core/lineage/left-behind.ts';
import type { LeftBehindReport, WhyReport } from '../../shared/history.ts';
import { StageScopeError } from '../../shared/errors.ts';
import { formatBytes, stageLabel } from '../../shared/format.ts';
import { failureHeading } from '../../shared/failure.ts';
import { compareMarkdown, compareText, historyText, movedText } from './compare-text.ts';
import { diffText } from './report-text.ts';
import { renderTable, safeText } from './table.ts';
import type { BuildFlags } from './args.ts';

export type HistoryCommand =
  | { kind: 'history'; path: string; json: boolean }
  | {
      kind: 'compare';
      path: string;
      build: BuildFlags;
      baseline: string;
      format: 'text' | 'json' | 'markdown';
      ignore: IgnorableReason[];
      include?: IncludableReason[];
    }
  | { kind: 'diff-images'; a: string; b: string; json: boolean; ignore: IgnorableReason[]; include?: IncludableReason[] }
  | { kind: 'why'; path: string; stage: string; file: string; build: BuildFlags; json: boolean }
  | { kind: 'left-behind'; path: string; build: BuildFlags; json: boolean; top: number };

type Out = (text: string) => void;
type Analyze = (path: string, build: BuildFlags) => ReturnType<typeof analyzeDockerfile>;
type Resolve = (path: string) => Promise<string>;

/** The options these commands add to the parsers of args.ts. */
async function openStore(): Promise<SnapshotStore> {
  return SnapshotStore.open({ onWarning: (m) => process.stderr.write(`stagescope: warning: ${m}\n`) });
}

export function whyText(r: WhyReport): string {
  const out = [`${safeText(r.path)} in stage ${stageLabel(r.stage)}, origin first:`];
  out.push(
    renderTable(
      ['#', 'stage', 'layer', 'line', 'change', 'size', 'hash', 'instruction'],
      r.steps.map((s, i) => [
        i + 1,
        s.stage ? stageLabel(s.stage) : (s.image ?? '?'),
        s.layer,
        s.line ?? '?',
        s.change,
        formatBytes(s.size),
        s.hash ? s.hash.slice(0, 12) : '',
        (s.instruction.split('\n')[0] ?? '').slice(0, 70) +
          (s.via ? `  (from ${s.via.fromStage ? stageLabel(s.via.fromStage) : s.via.fromImage}:${s.via.sourcePath})` : ''),
      ]),
      [0, 2, 3, 5],
    ),
  );
  return out.join('\n');
}

export function leftBehindText(r: LeftBehindReport): string {
  const out = [`Files of builder stages that never reach ${stageLabel(r.target)}:`];
  for (const s of r.stages) {
    out.push('', `Stage ${stageLabel(s)}: ${formatBytes(s.bytes)} left behind`);
    if (s.paths.length)
      out.push(
        renderTable(
          ['size', 'path'],
          s.paths.map((p) => [formatBytes(p.size), p.path]),
          [0],
        ),
      );
  }
  if (r.stages.length === 0) out.push('(no builder stages were built)');
  return out.join('\n');
}

export async function runHistoryCommand(command: HistoryCommand, out: Out, analyze: Analyze, resolveDockerfile: Resolve): Promise<number> {
  switch (command.kind) {
    case 'history': {
      const dockerfile = await resolveDockerfile(command.path);
      const rows = (await (await openStore()).list(dockerfile)).map(snapshotSummary);
      out(command.json ? JSON.stringify(rows, null, 2) : historyText(rows));
      return 0;
    }
    case 'compare': {
      const dockerfile = await resolveDockerfile(command.path);
      const store = await openStore();
      const layerCache = await LayerCache.open().catch(() => null);
      // A named baseline is checked before the build, so a typo fails at once.
      let baseline: ComparableSnapshot | null =
        command.baseline === 'last' ? null : await resolveBaseline(command.baseline, { store, dockerfile, layerCache });
      const analysis = await analyze(command.path, command.build);
      if (analysis.outcome.failure)
        throw new StageScopeError(
          'build',
          `${failureHeading(analysis.outcome.failure)}: ${analysis.outcome.failure.message}`,
          'Fix the build, then compare.',
        );
      baseline ??= await resolveBaseline('last', {
        store,
        dockerfile,
        target: analysis.report.target,
        exclude: analysis.snapshot?.id,
        layerCache,
      });
      const report = await compareAnalysis(analysis, baseline, { ignore: command.ignore, include: command.include });
      out(
        command.format === 'json'
          ? JSON.stringify(report, null, 2)
          : command.format === 'markdown'
            ? compareMarkdown(report)
            : compareText(report),
      );
      return 0;
    }
    case 'diff-images': {
      const one = async (ref: string) => (await analyzeOneImage(ref, { purpose: 'diff-images needs exactly one per side' })).analyzed.tree;
      const diff = semanticDiff(await one(command.a), await one(command.b), { ignore: command.ignore, include: command.include });
      out(command.json ? JSON.stringify(diff, null, 2) : diffText(command.a, command.b, diff) + movedText(diff.moved));
      return 0;
    }
    case 'why': {
      const analysis = await analyze(command.path, command.build);
      const stage = resolveStage(analysis.model, command.stage);
      const report = whyPath(analysis, stage, command.file);
      out(command.json ? JSON.stringify(report, null, 2) : whyText(report));
      return 0;
    }
    case 'left-behind': {
      const analysis = await analyze(command.path, command.build);
      const report = leftBehind(analysis, command.top);
      out(command.json ? JSON.stringify(report, null, 2) : leftBehindText(report));
      return 0;
    }
  }
}
