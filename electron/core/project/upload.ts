// The Dockerfile copy that is uploaded with the build context. The user's file is never
// edited: every change here is made to the uploaded text only, and keeps line numbers.
import type { DockerfileModel, Stage } from '../../../shared/model.ts';

/** The name a stage is built under: its own, or one we give an unnamed stage. */
export function buildName(stage: Stage): string {
  return stage.name ?? `stagescope-stage-${stage.index}`;
}

/**
 * `--target` needs a stage name, and unnamed stages have none: append `AS stagescope-stage-N`
 * to their FROM line in the uploaded copy. `--from=N` by index keeps working.
 */
export function nameUnnamedStages(text: string, model: DockerfileModel): string {
  const lines = text.split('\n');
  for (const stage of model.stages) {
    if (stage.name !== null) continue;
    const from = stage.instructions.find((i) => i.keyword === 'FROM');
    const lineNo = from?.endLine ?? stage.line;
    const idx = lineNo - 1;
    if (idx < 0 || idx >= lines.length) continue;
    const cr = lines[idx].endsWith('\r');
    const body = cr ? lines[idx].slice(0, -1) : lines[idx];
    lines[idx] = `${body.trimEnd()} AS ${buildName(stage)}${cr ? '\r' : ''}`;
  }
  return lines.join('\n');
}

/** Maps a stage name seen in BuildKit progress (`[build 2/3]`, `[stage-1 1/2]`) to its index. */
export function stageResolver(model: DockerfileModel): (name: string) => number | null {
  const byName = new Map<string, number>();
  for (const s of model.stages) {
    byName.set(buildName(s).toLowerCase(), s.index);
    byName.set(`stage-${s.index}`, s.index);
    if (s.name) byName.set(s.name.toLowerCase(), s.index);
  }
  return (name) => byName.get(name.toLowerCase()) ?? null;
}
