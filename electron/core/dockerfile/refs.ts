// How a reference to another stage is resolved, the way BuildKit does it: stage names are
// case-insensitive; a numeric --from is a stage index; any other unknown name is an image.
// A name declared twice (BuildKit builds that; verified on BuildKit 0.13): `FROM name` binds to
// the nearest declaration above it, `COPY --from=name`, `RUN --mount from=name` and
// `--target name` to the last one in the file (an error when that is not above the stage).
// A name (or index) that points at the stage itself or a later one would make BuildKit fail
// with a circular dependency, so it is an error here, naming the line.
import type { EdgeSource, StageBase } from '../../../shared/model.ts';
import { dockerfileError } from './errors.ts';

export interface StageName {
  index: number;
  name: string | null;
  line: number;
}

export interface RefContext {
  path: string;
  line: number;
  /** The instruction part being resolved, for messages: `COPY --from=foo`. */
  what: string;
}

/** The last declaration of a name (BuildKit's binding for --from and --target). */
export function findByName(ref: string, stages: readonly StageName[]): StageName | undefined {
  const key = ref.toLowerCase();
  return stages.findLast((s) => s.name !== null && s.name.toLowerCase() === key);
}

function notEarlier(target: StageName, current: number, ctx: RefContext): Error {
  const which = target.index === current ? 'this same stage' : `a later stage (line ${target.line})`;
  return dockerfileError(
    ctx.path,
    ctx.line,
    `${ctx.what} refers to ${which}; a stage can only use stages defined before it.`,
    'Move the referenced stage above this one, or fix the stage name.',
    { ref: target.name ?? String(target.index), refLine: target.line },
  );
}

/** `--from=` of COPY/ADD and `from=` of RUN --mount. */
export function resolveFromRef(ref: string, current: number, stages: readonly StageName[], ctx: RefContext): EdgeSource {
  if (/^\d+$/.test(ref)) {
    const index = Number(ref);
    if (index >= stages.length) {
      throw dockerfileError(
        ctx.path,
        ctx.line,
        `${ctx.what} refers to stage index ${index}, but the Dockerfile has only ${stages.length} stage(s).`,
        `Use an index from 0 to ${Math.max(0, current - 1)} or a stage name.`,
        { ref },
      );
    }
    if (index >= current) throw notEarlier(stages[index], current, ctx);
    return { kind: 'stage', stage: index };
  }
  const named = findByName(ref, stages);
  if (!named) return { kind: 'image', ref };
  if (named.index >= current) throw notEarlier(named, current, ctx);
  return { kind: 'stage', stage: named.index };
}

/** The image of `FROM <ref>`: scratch, an earlier stage by name, or an image. */
export function resolveBase(ref: string, current: number, stages: readonly StageName[], ctx: RefContext): StageBase {
  if (ref.toLowerCase() === 'scratch') return { kind: 'scratch', ref: null };
  const named = findByName(ref, stages.slice(0, current)) ?? findByName(ref, stages);
  if (!named) return { kind: 'image', ref };
  if (named.index >= current) throw notEarlier(named, current, ctx);
  return { kind: 'stage', ref, stage: named.index };
}
