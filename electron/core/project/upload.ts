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

/** Later stages that declare `index`'s name again: `--target name` would build the last one. */
export function laterDuplicates(model: DockerfileModel, index: number): Stage[] {
  const name = model.stages[index].name?.toLowerCase();
  return name === undefined ? [] : model.stages.filter((s) => s.index > index && s.name?.toLowerCase() === name);
}

/**
 * BuildKit binds `--target name` to the name's last declaration, so an earlier stage of the same
 * name is built from a copy where the later declarations are renamed `stagescope-stage-N`. The
 * stages up to the target are unchanged (their FROM and --from bind as before).
 */
export function renameLaterDuplicates(text: string, model: DockerfileModel, index: number): string {
  const lines = text.split('\n');
  for (const stage of laterDuplicates(model, index)) {
    const from = stage.instructions.find((i) => i.keyword === 'FROM');
    const idx = (from?.endLine ?? stage.line) - 1;
    if (idx < 0 || idx >= lines.length) continue;
    lines[idx] = lines[idx].replace(
      /(\s[aA][sS]\s+)(\S+)(\s*\r?)$/,
      (_m, as: string, _name: string, end: string) => `${as}${buildName({ ...stage, name: null })}${end}`,
    );
  }
  return lines.join('\n');
}

/**
 * Maps a stage name seen in BuildKit progress (`[build 2/3]`, `[stage-1 1/2]`) to its index. A
 * name declared twice is, within a build of target `upTo`, its last declaration up to it.
 */
export function stageResolver(model: DockerfileModel): (name: string, upTo?: number) => number | null {
  const byName = new Map<string, number[]>();
  const add = (key: string, index: number) => byName.set(key, [...(byName.get(key) ?? []), index]);
  for (const s of model.stages) {
    add(buildName(s).toLowerCase(), s.index);
    add(`stage-${s.index}`, s.index);
    if (s.name && s.name.toLowerCase() !== buildName(s).toLowerCase()) add(s.name.toLowerCase(), s.index);
  }
  return (name, upTo = model.stages.length - 1) => {
    const found = byName.get(name.toLowerCase()) ?? [];
    return found.findLast((i) => i <= upTo) ?? found.at(-1) ?? null;
  };
}
