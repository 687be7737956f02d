// whole-stage-copy: a `COPY --from=<stage>` of `/`, or of a folder carrying more than 90 % of
// the source stage's bytes, into a stage the target needs: the builder ships whole.
import { formatBytes, formatPercent } from '../../../../shared/format.ts';
import type { CheckContext, Finding } from '../context.ts';

export const WHOLE_STAGE_SHARE = 0.9;

export function wholeStageCopy(ctx: CheckContext): Finding[] {
  const { model, report, stages } = ctx.analysis;
  const findings: Finding[] = [];
  for (const copy of report.copies) {
    if (copy.from.kind !== 'stage' || copy.from.stage === undefined || !ctx.closure.includes(copy.stage)) continue;
    const source = stages.get(copy.from.stage);
    if (!source) continue;
    const instruction = model.stages[copy.stage].instructions.find((i) => i.line === copy.line);
    // The model's expanded arguments: every one but the last is a source.
    const sources = instruction?.args ? instruction.args.slice(0, -1) : [];
    const root = sources.some((s) => /^\/*\.?\/*$/.test(s));
    // The stage's summary, not its tree: after a late change the source stage's tree is not built.
    const total = source.summary.totalBytes;
    const share = total > 0 ? copy.bytes / total : 0;
    if (!root && share <= WHOLE_STAGE_SHARE) continue;
    findings.push({
      stage: ctx.label(copy.stage),
      stageIndex: copy.stage,
      line: copy.line,
      layer: copy.layer?.index ?? null,
      bytes: copy.bytes,
      paths: sources,
      limit: WHOLE_STAGE_SHARE,
      actual: Number(share.toFixed(4)),
      message: `Line ${copy.line} copies ${root ? '/ ' : ''}${formatBytes(copy.bytes)} from stage ${ctx.label(copy.from.stage)}: ${formatPercent(share)} of its ${formatBytes(total)}; copy only the build output.`,
    });
  }
  return findings;
}
