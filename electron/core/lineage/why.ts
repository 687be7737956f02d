// `stagescope why`: the history of one path as a stage's image holds it. Every layer that
// added, modified or removed the path, attributed to the stage (or external base image) that
// made that layer; when a layer is a COPY --from, the file's own history in the source stage
// or image comes first, back to where it was first written. Origin first.
import type { WhyReport, WhyStep } from '../../../shared/history.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { stageLabel } from '../../../shared/format.ts';
import type { Analysis } from '../project/analyze.ts';
import type { AnalyzedImage } from '../project/stage-analysis.ts';
import type { FileMeta } from '../../../shared/model.ts';

const MAX_DEPTH = 32;

/** Who made layer `layer` of stage `stage`: a stage up its FROM chain, or the external base image. */
export function layerOwner(analysis: Analysis, stage: number, layer: number): { stage: number | null; image?: string } {
  let s = stage;
  for (let hops = 0; hops < MAX_DEPTH; hops++) {
    const st = analysis.model.stages[s];
    if (st.base.kind === 'stage' && st.base.stage !== undefined) {
      const base = analysis.stages.get(st.base.stage);
      if (base && layer < base.image.layers.length) {
        s = st.base.stage;
        continue;
      }
      return { stage: s };
    }
    if (st.base.kind === 'image') {
      // The base image's layers come first and have no line of this Dockerfile.
      const own = analysis.stages.get(s)!;
      let n = 0;
      while (n < own.lines.length && own.lines[n] === null) n++;
      if (n < own.lines.length && layer < n) return { stage: null, image: st.base.ref ?? undefined };
    }
    return { stage: s };
  }
  return { stage: s };
}

function entryIn(img: AnalyzedImage, layer: number, path: string): FileMeta | null {
  const entries = img.layers[layer].entries;
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].path === path) return entries[i];
  return null;
}

function changeOf(img: AnalyzedImage, layer: number, path: string): WhyStep['change'] | null {
  const c = img.changes[layer];
  if (c.added.includes(path)) return 'added';
  if (c.modified.includes(path)) return 'modified';
  if (c.removed.includes(path)) return 'removed';
  return null;
}

function historyOf(
  analysis: Analysis,
  img: AnalyzedImage,
  stage: number | null,
  image: string | undefined,
  path: string,
  depth: number,
): WhyStep[] {
  const steps: WhyStep[] = [];
  if (depth > MAX_DEPTH) return steps;
  for (let i = 0; i < img.layers.length; i++) {
    const change = changeOf(img, i, path);
    if (!change) continue;
    const owner = stage === null ? { stage: null, image } : layerOwner(analysis, stage, i);
    const ownerImg = owner.stage !== null ? analysis.stages.get(owner.stage) : undefined;
    const line = ownerImg ? (ownerImg.lines[i] ?? null) : null;
    const ownerStage = owner.stage !== null ? analysis.model.stages[owner.stage] : null;
    const instruction = (line !== null && ownerStage?.instructions.find((ins) => ins.line === line)?.text) || img.createdBy[i] || '';
    const meta = change === 'removed' ? null : entryIn(img, i, path);
    const step: WhyStep = {
      stage: ownerStage ? { index: ownerStage.index, name: ownerStage.name } : null,
      ...(owner.stage === null && owner.image ? { image: owner.image } : {}),
      layer: i,
      line,
      instruction,
      change,
      size: meta && meta.type !== 'dir' ? meta.size : 0,
      hash: meta?.hash ?? null,
    };
    const copy =
      ownerStage && line !== null ? analysis.report.copies.find((c) => c.stage === ownerStage.index && c.line === line) : undefined;
    const file = copy?.files.find((f) => f.path === path);
    if (copy && file?.sourcePath) {
      step.via = {
        copyLine: copy.line,
        ...(copy.from.kind === 'stage' && copy.from.stage !== undefined
          ? { fromStage: { index: copy.from.stage, name: analysis.model.stages[copy.from.stage].name } }
          : { fromImage: copy.from.ref }),
        sourcePath: file.sourcePath,
      };
      const src =
        copy.from.kind === 'stage' && copy.from.stage !== undefined
          ? analysis.stages.get(copy.from.stage)
          : analysis.externals.get(copy.from.ref);
      if (src) {
        const srcStage = copy.from.kind === 'stage' ? (copy.from.stage ?? null) : null;
        steps.push(
          ...historyOf(analysis, src, srcStage, copy.from.kind === 'image' ? copy.from.ref : undefined, file.sourcePath, depth + 1),
        );
      }
    }
    steps.push(step);
  }
  return steps;
}

export function whyPath(analysis: Analysis, stage: number, path: string): WhyReport {
  const img = analysis.stages.get(stage);
  const st = analysis.model.stages[stage];
  if (!img || !st)
    throw new StageScopeError(
      'not-found',
      `Stage ${st ? stageLabel(st) : stage} was not built.`,
      'Build it (the target, or --all-stages) and try again.',
    );
  const clean =
    '/' +
    path
      .split('/')
      .filter((p) => p && p !== '.')
      .join('/');
  const steps = historyOf(analysis, img, stage, undefined, clean, 0);
  if (steps.length === 0) {
    throw new StageScopeError(
      'not-found',
      `${clean} was never written in stage ${stageLabel(st)}.`,
      'Check the path (absolute, as the image holds it).',
    );
  }
  return { stage: { index: st.index, name: st.name }, path: clean, steps };
}
