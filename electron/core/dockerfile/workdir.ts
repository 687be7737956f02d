// The WORKDIR in effect at a line of a stage, from the model's expanded WORKDIR arguments:
// what a relative COPY / ADD destination resolves against.
import { posix } from 'node:path';
import type { Stage } from '../../../shared/model.ts';

/** `inherited`: the WORKDIR the stage starts with (its base image's, `/` by default). */
export function workdirAt(stage: Stage, line: number, inherited = '/'): string {
  let dir = inherited || '/';
  for (const ins of stage.instructions) {
    if (ins.line >= line) break;
    if (ins.keyword !== 'WORKDIR' || !ins.args?.length) continue;
    // BuildKit joins a relative WORKDIR onto the current one and cleans the path.
    dir = posix.resolve(dir, ins.args[0]);
  }
  return dir;
}
