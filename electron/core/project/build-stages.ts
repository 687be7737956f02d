// Builds each stage the analysis needs, one `--target` at a time, so every stage gets an image
// of its own. BuildKit's cache makes the later builds reuse the earlier ones' steps.
import { readFile } from 'node:fs/promises';
import type { Connection } from '../docker/connection.ts';
import { createBuildContext } from '../docker/context.ts';
import { buildImage, isFrontendResolutionError } from '../docker/build.ts';
import { stepLocatorFor } from '../docker/vertex-name.ts';
import { removeUntaggedImages } from '../docker/images.ts';
import { stripSyntaxDirective } from '../dockerfile/directives.ts';
import type { BuildEvent, BuildFailure, BuildOptions, DockerfileModel } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { buildName, nameUnnamedStages, stageResolver } from './upload.ts';
import { stageLabels, stageTag } from './naming.ts';
import { digesting, externalImageIds, inputsKey, ReuseStore } from './stage-reuse.ts';
import type { AnalyzeHooks } from './types.ts';

export interface BuiltStage {
  index: number;
  tag: string;
  imageId: string;
}

export interface BuildOutcome {
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

/** Builds after the target's are cache hits: a few at once keeps the engine busy, not swamped. */
const PARALLEL_CACHED_BUILDS = 3;

export async function buildStages(conn: Connection, input: BuildInput, hooks: AnalyzeHooks = {}): Promise<BuildOutcome> {
  const { model, options } = input;
  const original = await readFile(input.dockerfile, 'utf8');
  let uploaded = nameUnnamedStages(original, model);
  let syntaxStripped = false;
  const warnings: string[] = [];
  const built = new Map<number, BuiltStage>();
  const stageOfName = stageResolver(model);
  const { lineOf, stageNameOf } = stepLocatorFor(model);
  // The classic builder leaves each earlier stage's image behind, untagged: removed at the end.
  const leftovers = new Set<string>();
  // Set by the target's build: the digest of the context it sent (see stage-reuse.ts).
  let contextDigest: string | null = null;
  const externalIds = options.noCache ? [] : await externalImageIds(conn.docker, model);
  const reuseStore = await ReuseStore.open(input.reuseDir);
  const keyOf = (index: number) =>
    contextDigest && !options.noCache
      ? inputsKey({ contextDigest, dockerfileText: uploaded, options, target: buildName(model.stages[index]), externalIds })
      : null;

  const buildOne = async (index: number) => {
    const stage = model.stages[index];
    const tag = stageTag(input.dockerfile, index, stage.name);
    hooks.onEvent?.({ type: 'stage-start', stage: index, tag });
    hooks.onPhase?.('context', { stage: index, bytes: 0 });
    const attempt = async () => {
      const context = await createBuildContext(input.contextDir, {
        dockerfile: input.dockerfile,
        dockerfileText: uploaded,
        // The engine reads the whole context before it builds: 'build' starts when it is sent.
        onProgress: (p) => hooks.onPhase?.(p.done ? 'build' : 'context', p.done ? { stage: index } : { stage: index, bytes: p.bytes }),
      });
      const sent = digesting(context.stream);
      const result = await buildImage(conn.docker, {
        context: sent.stream,
        dockerfileName: context.dockerfileName,
        target: buildName(stage),
        tag,
        labels: stageLabels(input.dockerfile, index),
        buildArgs: options.buildArgs,
        builder: options.builder ?? 'buildkit',
        network: options.network ?? 'none',
        noCache: options.noCache,
        signal: hooks.signal,
        onEvent: (e: BuildEvent) => hooks.onEvent?.(e),
        stageOfName,
        stageNameOf,
        lineOf,
        stage: index,
      });
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
      uploaded = nameUnnamedStages(stripSyntaxDirective(original), model);
      const warning =
        `The frontend image "${model.directives.syntax}" named by \`# syntax\` (line ${model.directives.syntaxLine}) ` +
        "could not be resolved; built with the engine's built-in Dockerfile frontend instead (your file is unchanged).";
      warnings.push(warning);
      hooks.onEvent?.({ type: 'warning', message: warning });
      return attempt();
    }
  };

  // Build order: the target (the last stage asked for) first, in one build that does all the
  // real work; then every other stage, whose steps are now all in the build cache, a few at a
  // time. Stage by stage in file order would make the engine export every intermediate image
  // on the way, cold.
  const order = [...input.stages].sort((a, b) => a - b);
  const target = order.pop();
  let failure: BuildFailure | null = null;
  const failed = new Set<number>();
  const dependsOnFailed = (index: number): boolean =>
    failed.has(index) || model.stages[index].dependsOn.some((d) => dependsOnFailed(d));

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
      failed.add(f.stage);
      failed.add(index);
      if (!failure || f.stage < failure.stage) failure = f;
      hooks.onEvent?.({ type: 'stage-failed', stage: f.stage, failure: f });
    }
  };

  try {
    if (target !== undefined) await attemptStage(target);
    // What does not depend on a failed stage is still built, so it stays analyzable.
    const rest = order.filter((i) => !dependsOnFailed(i));
    for (let i = 0; i < rest.length; i += PARALLEL_CACHED_BUILDS) {
      await Promise.all(rest.slice(i, i + PARALLEL_CACHED_BUILDS).map(attemptStage));
    }
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
