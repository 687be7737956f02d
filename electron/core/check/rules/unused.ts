// unused-stage (info): a stage that no other stage uses and that is neither the target nor
// the Dockerfile's last stage (the default target): nothing builds it unless asked by name.
import type { CheckContext, Finding } from '../context.ts';

export function unusedStage(ctx: CheckContext): Finding[] {
  const { model } = ctx.analysis;
  const used = new Set(model.edges.filter((e) => e.from.kind === 'stage').map((e) => (e.from as { stage: number }).stage));
  const last = model.stages.length - 1;
  return model.stages
    .filter((s) => !used.has(s.index) && s.index !== ctx.target && s.index !== last)
    .map((s) => ({
      stage: ctx.label(s.index),
      stageIndex: s.index,
      line: s.line,
      message: `Stage ${ctx.label(s.index)} (line ${s.line}) is not needed by the target ${ctx.label(ctx.target)} nor by any other stage; build it with --target or remove it.`,
    }));
}
