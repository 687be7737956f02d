// BuildKit names the vertices of a Dockerfile build `[stage k/n] TEXT` (dockerfile2llb's
// prefixCommand): the stage name is the lowercased `AS` name or `stage-N`, and is left out
// when the Dockerfile has a single stage; a platform may come first. `k` counts, per stage,
// the FROM of an image (not scratch, not another stage), then every RUN, COPY, ADD, WORKDIR.
// Everything else (`[internal] ...`, `exporting to image`) belongs to no stage. The classic
// builder's `Step k/N` counts every instruction of the whole file, FROM included.
import type { Builder, DockerfileModel } from '../../../shared/model.ts';

export interface StepName {
  /** Stage name as printed (lowercase), or null when the Dockerfile has a single stage. */
  stage: string | null;
  step: number;
  total: number;
  /** The instruction as BuildKit prints it: `RUN go build ...`. */
  text: string;
}

const STEP = /^\[(?:\S+\/\S+ )?(?:(\S+) )?\s*(\d+)\/(\d+)\] (?:ONBUILD )?([\s\S]*)$/;

export function parseVertexName(name: string): StepName | null {
  const m = STEP.exec(name);
  if (!m) return null;
  return { stage: m[1] ?? null, step: Number(m[2]), total: Number(m[3]), text: m[4] };
}

/** `stage-3` → 3: BuildKit's name for an unnamed stage. */
export function stageIndexFromGeneratedName(name: string): number | null {
  const m = /^stage-(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
}

const COUNTED = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** The callbacks the progress decoder needs, derived from the parsed Dockerfile. */
export function stepLocatorFor(model: DockerfileModel) {
  const byName = new Map<string, number>();
  for (const s of model.stages) if (s.name) byName.set(s.name.toLowerCase(), s.index);
  const steps = model.stages.map((s) => {
    const lines: number[] = s.base.kind === 'image' ? [s.line] : [];
    for (const i of s.instructions) if (COUNTED.has(i.keyword.toUpperCase())) lines.push(i.line);
    return lines;
  });
  return {
    stageOfName(name: string): number | null {
      return byName.get(name.toLowerCase()) ?? stageIndexFromGeneratedName(name);
    },
    stageNameOf(stage: number): string | null {
      return model.stages[stage]?.name ?? null;
    },
    /** BuildKit counts as described above; the classic builder counts every instruction. */
    lineOf(stage: number, step: number, _text?: string, builder: Builder = 'buildkit'): number | null {
      if (builder === 'classic') return model.stages[stage]?.instructions[step - 1]?.line ?? null;
      return steps[stage]?.[step - 1] ?? null;
    },
  };
}
