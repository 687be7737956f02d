// Builds each stage the analysis needs, one `--target` at a time, so every stage gets an image
// of its own. BuildKit's cache makes the later builds reuse the earlier ones' steps.
import { readFile } from 'node:fs/promises';
import type { Connection } from '../docker/connection.ts';
import { createBuildContext } from '../docker/context.ts';
import { buildImage, isFrontendResolutionError } from '../docker/build.ts';
import { sessionContext } from '../docker/session-context.ts';
import { stepLocatorFor } from '../docker/vertex-name.ts';
import { removeUntaggedImages } from '../docker/images.ts';
import { stripSyntaxDirective } from '../dockerfile/directives.ts';
import type { BuildEvent, BuildFailure, BuildOptions, DockerfileModel } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { buildName, laterDuplicates, nameUnnamedStages, renameLaterDuplicates, stageResolver } from './upload.ts';
import { stageLabels, stageTag } from './naming.ts';
import { digesting, externalImageIds, inputsKey, ReuseStore } from './stage-reuse.ts';
import type { AnalyzeHooks } from './types.ts';

/**
 * A COPY or ADD from the build context (no --from) whose source could take in `name` at the
 * context's root: `.`, `/`, a glob in the first path component, or the name itself; or a RUN
 * that bind-mounts the context's root (the step sees the file, and its cache key changes).
 */
export function copiesFromContextRoot(model: DockerfileModel, name: string): boolean {
  return model.stages.some((s) =>
    s.instructions.some((i) => {
      if (i.keyword === 'RUN') return i.flags.some((f) => f.name.toLowerCase() === 'mount' && bindsContextRoot(f.value ?? ''));
      if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.flags.some((f) => f.name.toLowerCase() === 'from')) return false;
      const sources = (i.args ?? []).slice(0, -1).filter((w) => !w.startsWith('<<'));
      return sources.some((src) => {
        const first = src.split('/').filter((p) => p && p !== '.')[0];
        return first === undefined || /[*?[]/.test(first) || first === name.split('/')[0];
      });
    }),
  );
}

/** `RUN --mount=...` of the build context's root: a bind (the default type) without from=/source=
 *  below the root, so the step sees every context file, the uploaded Dockerfile included. */
function bindsContextRoot(spec: string): boolean {
  const opts = new Map(
    spec.split(',').map((kv) => {
      const eq = kv.indexOf('=');
      return eq < 0 ? [kv.trim().toLowerCase(), ''] : [kv.slice(0, eq).trim().toLowerCase(), kv.slice(eq + 1).trim()];
    }),
  );
  const type = opts.get('type') ?? 'bind';
  const source = (opts.get('source') ?? opts.get('src') ?? '').split('/').filter((p) => p && p !== '.');
  return type === 'bind' && !opts.has('from') && source.length === 0;
}

export interface BuiltStage {
  index: number;
  tag: string;
  imageId: string;
}

/** What building the stages gave: the images made, the failure that stopped the build, warnings. */
export interface StagesOutcome {
  built: Map<number, BuiltStage>;
  failure: BuildFailure | null;
  warnings: string[];
}

export interface BuildInput {
  dockerfile: string;
  contextDir: string;
  model: DockerfileModel;
  stages: number[];
  options: BuildOptions;
  /** Where stage reuse records live (the layer cache's folder by default; null: none). */
  reuseDir?: string | null;
}

/**
 * Other stages' builds running beside the target's: a few at once keeps the engine busy, not
 * swamped. Cold, BuildKit runs a step that concurrent builds share once, and each stage's image
 * commit (the engine registering that stage's new layers: a tar of each, its sha256 and tar-split
 * index, ~all of the cost of an extra stage) then overlaps the target's later steps instead of
 * following them (BENCHMARKS.md, rounds 8 and 11). All of them at once measured no better.
 */
const CONCURRENT_OTHER_BUILDS = 3;

export async function buildStages(conn: Connection, input: BuildInput, hooks: AnalyzeHooks = {}): Promise<StagesOutcome> {
  const { model, options } = input;
  const original = await readFile(input.dockerfile, 'utf8');
  let syntaxStripped = false;
  const warnings: string[] = [];
  const built = new Map<number, BuiltStage>();
  const stageOfName = stageResolver(model);
  const { lineOf, stageNameOf } = stepLocatorFor(model);
  const lastStage = model.stages.length - 1;
  /**
   * The text to upload for a target, or undefined to send the user's own file as it is (what
   * a plain `docker build` sends). A copy only when needed: an unnamed stage other than the last
   * needs a name to be a `--target`; offline, the `# syntax` line must go.
   */
  const uploadFor = (index: number): string | undefined => {
    const needsName = model.stages[index].name === null && index !== lastStage;
    const shadowed = laterDuplicates(model, index).length > 0;
    if (!needsName && !shadowed && !syntaxStripped) return undefined;
    let text = syntaxStripped ? stripSyntaxDirective(original) : original;
    if (needsName) text = nameUnnamedStages(text, model);
    if (shadowed) text = renameLaterDuplicates(text, model, index);
    return text;
  };
  /** The last stage is the default target: an unnamed one needs no name then. */
  const targetFor = (index: number): string | undefined =>
    model.stages[index].name === null && index === lastStage ? undefined : buildName(model.stages[index]);
  let visibleWarned = false;
  /** Whether the engine takes build sessions: learned on the first BuildKit build. */
  let sessions: boolean | null = null;
  // The classic builder leaves each earlier stage's image behind, untagged: removed at the end.
  const leftovers = new Set<string>();
  // Set by the target's build: the digest of the context it sent (see stage-reuse.ts).
  let contextDigest: string | null = null;
  // The other stages wait for it (their reuse keys need the digest): it opens once the target's
  // build session is up, or when the target's build has ended.
  let openOthers = (): void => {};
  const othersMayStart = new Promise<void>((resolve) => (openOthers = resolve));
  const externalIds = options.noCache ? [] : await externalImageIds(conn.docker, model);
  const reuseStore = await ReuseStore.open(input.reuseDir);
  const keyOf = (index: number) =>
    contextDigest && !options.noCache
      ? inputsKey({
          contextDigest,
          dockerfileText: uploadFor(index) ?? original,
          options,
          target: buildName(model.stages[index]),
          externalIds,
        })
      : null;

  const warn = (message: string) => {
    warnings.push(message);
    hooks.onEvent?.({ type: 'warning', message });
  };

  const buildOne = async (index: number) => {
    const stage = model.stages[index];
    const tag = stageTag(input.dockerfile, index, stage.name);
    hooks.onEvent?.({ type: 'stage-start', stage: index, tag });
    hooks.onPhase?.('context', { stage: index, bytes: 0 });
    const builder = options.builder ?? 'buildkit';
    const common = {
      target: targetFor(index),
      tag,
      labels: stageLabels(input.dockerfile, index),
      buildArgs: options.buildArgs,
      builder,
      network: options.network ?? 'none',
      noCache: options.noCache,
      signal: hooks.signal,
      onEvent: (e: BuildEvent) => hooks.onEvent?.(e),
      stageOfName: (name: string) => stageOfName(name, index),
      stageNameOf,
      lineOf,
      stage: index,
    };
    /**
     * BuildKit: the context and the Dockerfile go over the build session, as the docker CLI sends
     * them (session-context.ts); null when the engine offers no session (then a tar, as before).
     */
    const attemptWithSession = async () => {
      const local = await (index === target && targetContext
        ? targetContext
        : sessionContext(input.contextDir, { dockerfile: input.dockerfile, dockerfileText: uploadFor(index) }));
      // Loaded on first use (grpc-js): a warm analysis that reuses every stage builds nothing.
      const { openBuildSession } = await import('../docker/session.ts');
      const session = await openBuildSession(conn.docker, {
        dirs: local.dirs,
        sharedKey: local.sharedKey,
        // BuildKit reads the context when a step needs it, during the build.
        onSent: (dir, bytes, done) => {
          if (dir === 'context') hooks.onPhase?.(done ? 'build' : 'context', done ? { stage: index } : { stage: index, bytes });
        },
      });
      sessions = session !== null;
      if (!session) return null;
      // What the session serves is known now. Not with a `# syntax` line: offline, its first
      // attempt fails and the others would race the retry's stripped text into their keys.
      if (index === target && !model.directives.syntax) {
        contextDigest ??= local.digest;
        openOthers();
      }
      try {
        hooks.onPhase?.('build', { stage: index });
        const result = await buildImage(conn.docker, { ...common, context: null, session, dockerfileName: local.dockerfileName });
        contextDigest ??= local.digest;
        return result;
      } finally {
        session.close();
      }
    };
    const attempt = async () => {
      if (builder === 'buildkit' && sessions !== false) {
        const result = await attemptWithSession();
        if (result) return result;
      }
      const context = await createBuildContext(input.contextDir, {
        dockerfile: input.dockerfile,
        dockerfileText: uploadFor(index),
        builder,
        // The engine reads the whole context before it builds: 'build' starts when it is sent.
        onProgress: (p) => hooks.onPhase?.(p.done ? 'build' : 'context', p.done ? { stage: index } : { stage: index, bytes: p.bytes }),
      });
      if (context.visibleDockerfile && !visibleWarned && copiesFromContextRoot(model, context.visibleDockerfile)) {
        visibleWarned = true;
        warn(
          `BuildKit applies no .dockerignore to an uploaded context, so a COPY or ADD of the whole context (or a RUN --mount bind of it) also copies ${context.visibleDockerfile}, ` +
            'which a plain `docker build` leaves out; build with --classic (or name every stage and keep the Dockerfile in the context, not excluded) for an exact result.',
        );
      }
      const sent = digesting(context.stream);
      const result = await buildImage(conn.docker, { ...common, context: sent.stream, dockerfileName: context.dockerfileName });
      contextDigest ??= sent.digest();
      return result;
    };
    try {
      return await attempt();
    } catch (err) {
      // Offline, BuildKit cannot fetch the frontend image a `# syntax=` line names: build
      // with the built-in frontend instead, from a copy without the line.
      if (syntaxStripped || !model.directives.syntax || !isFrontendResolutionError(err)) throw err;
      syntaxStripped = true;
      warn(
        `The frontend image "${model.directives.syntax}" named by \`# syntax\` (line ${model.directives.syntaxLine}) ` +
          "could not be resolved; built with the engine's built-in Dockerfile frontend instead (your file is unchanged).",
      );
      return attempt();
    }
  };

  // Build order: the target (the last stage asked for) first, in one build that does all the
  // real work, with every other stage's build beside it, a few at a time (concurrent builds
  // share BuildKit's steps, and the others' image commits overlap the target's steps); warm,
  // their steps are all cache hits or their images are reused.
  const order = [...input.stages].sort((a, b) => a - b);
  const target = order.pop();
  // The target's context, walked before any build: its digest is what the target's session
  // will serve, so every stage's reuse key, the target's included, is known up front, and an
  // unchanged project needs no build request at all. Not with a `# syntax` line (offline, the
  // first attempt decides the text to upload) nor where no reuse key is taken.
  const targetContext =
    target !== undefined && (options.builder ?? 'buildkit') === 'buildkit' && !model.directives.syntax && !options.noCache
      ? sessionContext(input.contextDir, { dockerfile: input.dockerfile, dockerfileText: uploadFor(target) })
      : null;
  if (targetContext) contextDigest = (await targetContext).digest;
  let failure: BuildFailure | null = null;
  const failed = new Set<number>();
  const dependsOnFailed = (index: number): boolean => failed.has(index) || model.stages[index].dependsOn.some((d) => dependsOnFailed(d));

  /** A stage whose inputs match an image StageScope built before: tag it, no build. */
  const reuse = async (index: number, key: string | null): Promise<boolean> => {
    if (!key) return false;
    const found = await reuseStore.find(conn.docker, key);
    if (!found) return false;
    const { id } = found;
    const tag = stageTag(input.dockerfile, index, model.stages[index].name);
    const [repo, version] = [tag.slice(0, tag.lastIndexOf(':')), tag.slice(tag.lastIndexOf(':') + 1)];
    if (!found.tags.includes(tag)) await conn.docker.getImage(id).tag({ repo, tag: version });
    hooks.onEvent?.({ type: 'stage-start', stage: index, tag });
    hooks.onEvent?.({ type: 'log', stage: index, vertex: null, text: 'inputs unchanged since the last build: its image is reused' });
    built.set(index, { index, tag, imageId: id });
    hooks.onEvent?.({ type: 'stage-done', stage: index, imageId: id });
    return true;
  };

  const attemptStage = async (index: number) => {
    const key = keyOf(index);
    if (await reuse(index, key)) return;
    try {
      const result = await buildOne(index);
      if (key) await reuseStore.record(key, result.imageId);
      for (const id of result.leftoverImageIds) leftovers.add(id);
      built.set(index, { index, tag: stageTag(input.dockerfile, index, model.stages[index].name), imageId: result.imageId });
      hooks.onEvent?.({ type: 'stage-done', stage: index, imageId: result.imageId });
    } catch (err) {
      if (!(err instanceof StageScopeError) || !err.is('build')) throw err;
      for (const id of err.details.leftoverImageIds ?? []) leftovers.add(id);
      const f = withContext(toFailure(err, model, index), original);
      // Builds running beside each other that need the same broken stage fail with it: say it once.
      const known = failed.has(f.stage);
      failed.add(f.stage);
      failed.add(index);
      if (!failure || f.stage < failure.stage) failure = f;
      if (!known) hooks.onEvent?.({ type: 'stage-failed', stage: f.stage, failure: f });
    }
  };

  try {
    // An error that is not a build failure (engine gone, cancelled) stops new builds; the
    // running ones are waited for, so the cleanup below sees every image they made.
    let stop: { error: unknown } | null = null;
    const settle = (p: Promise<void>) => p.catch((error: unknown) => void (stop ??= { error }));
    const targetDone = settle(target === undefined ? Promise.resolve() : attemptStage(target)).finally(openOthers);
    await othersMayStart;
    // What does not depend on a failed stage is still built, so it stays analyzable.
    const queue = [...order];
    const worker = async (): Promise<void> => {
      for (let index = queue.shift(); index !== undefined && !stop; index = queue.shift()) {
        if (!dependsOnFailed(index)) await attemptStage(index);
      }
    };
    await Promise.all([targetDone, ...Array.from({ length: CONCURRENT_OTHER_BUILDS }, () => settle(worker()))]);
    if (stop) throw (stop as { error: unknown }).error;
    return { built, failure, warnings };
  } finally {
    const ours = new Set([...built.values()].map((b) => b.imageId));
    const strays = [...leftovers].filter((id) => !ours.has(id));
    if (strays.length > 0) await removeUntaggedImages(conn.docker, strays).catch(() => undefined);
  }
}

/** Lines shown around a failing one, before and after (Docker Desktop shows a few too). */
export const FAILURE_CONTEXT_LINES = 3;

/** The failure with the Dockerfile lines around its line, as written in the user's file. */
export function withContext(failure: BuildFailure, dockerfileText: string): BuildFailure {
  if (failure.line === null || failure.context) return failure;
  const lines = dockerfileText.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop(); // the file's final newline ends a line, it starts none
  if (failure.line < 1 || failure.line > lines.length) return failure;
  const first = Math.max(1, failure.line - FAILURE_CONTEXT_LINES);
  const last = Math.min(lines.length, failure.line + FAILURE_CONTEXT_LINES);
  const context = lines.slice(first - 1, last).map((text, i) => ({ line: first + i, text }));
  return { ...failure, context };
}

function toFailure(err: StageScopeError<'build'>, model: DockerfileModel, index: number): BuildFailure {
  const given = err.details.failure;
  if (given) return given;
  const stage = model.stages[index];
  return { stage: index, stageName: stage.name, instruction: null, line: null, message: err.message, logs: [] };
}
