// The sources and destination of a COPY/ADD instruction, and the WORKDIR it runs in: what
// copy attribution needs to know where the files went.
import type { Instruction, Stage } from '../../../shared/model.ts';

export interface CopyArgs {
  sources: string[];
  dest: string;
}

/** Splits `COPY --from=x --chown=1 a b /dest/` (or the JSON form) into sources and dest. */
export function copyArgs(instruction: Instruction): CopyArgs | null {
  // Join continuation lines; drop the keyword and every --flag.
  const body = instruction.text
    .replace(/\\\r?\n/g, ' ')
    .replace(/`\r?\n/g, ' ')
    .trim()
    .replace(/^\S+\s*/, '');
  let rest = body;
  while (/^--\S+/.test(rest)) rest = rest.replace(/^--\S+\s*/, '');
  let parts: string[];
  if (rest.startsWith('[')) {
    try {
      parts = JSON.parse(rest) as string[];
    } catch {
      parts = rest.split(/\s+/);
    }
  } else {
    parts = rest.split(/\s+/).filter(Boolean);
  }
  if (parts.length < 2) return null;
  return { sources: parts.slice(0, -1), dest: parts[parts.length - 1] };
}

/** The WORKDIR in effect at `line` in `stage`, starting from `inherited` (the base's). */
export function workdirAt(stage: Stage, line: number, inherited = '/'): string {
  let dir = inherited;
  for (const ins of stage.instructions) {
    if (ins.line >= line) break;
    if (ins.keyword !== 'WORKDIR') continue;
    const arg = ins.text.replace(/^\S+\s*/, '').trim().replace(/^"(.*)"$/, '$1');
    dir = arg.startsWith('/') ? arg : `${dir.replace(/\/$/, '')}/${arg}`;
  }
  return dir;
}
