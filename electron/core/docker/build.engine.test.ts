// Builds on the real Docker Engine. Every image made here is tagged stagescope-test/... and
// removed in afterAll.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../shared/errors.ts';
import type { BuildEvent, Builder } from '../../../shared/model.ts';
import { parseDockerfile } from '../dockerfile/parse.ts';
import { buildImage, isFrontendResolutionError, type BuildResult } from './build.ts';
import { connectEngine } from './connection.ts';
import { createBuildContext } from './context.ts';
import { imageExists, inspectImage, removeUntaggedImages } from './images.ts';
import { busyboxBase, removeImages, type TestBase } from './testing/images.ts';
import { stepLocatorFor } from './vertex-name.ts';

let docker: Dockerode;
let base: TestBase;
const made: string[] = [];
const leftovers: string[] = []; // untagged images the classic builder left
const dirs: string[] = [];
const run = `${process.pid}-${Date.now().toString(36)}`;
const LABEL = `io.stagescope.test.docker-build`;

beforeAll(async () => {
  docker = (await connectEngine()).docker;
  base = await busyboxBase(docker);
}, 60_000);

afterAll(async () => {
  await removeImages(docker, made);
  await removeUntaggedImages(docker, leftovers);
  await base?.release();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 60_000);

interface Attempt {
  events: BuildEvent[];
  tag: string;
  result: Promise<BuildResult>;
}

function startBuild(
  dockerfile: string,
  opts: {
    target?: string;
    builder?: Builder;
    signal?: AbortSignal;
    files?: Record<string, string>;
    noCache?: boolean;
    onEvent?: (e: BuildEvent) => void;
  } = {},
): Attempt {
  const dir = mkdtempSync(join(tmpdir(), 'stagescope-build-'));
  dirs.push(dir);
  const text = dockerfile.replaceAll('BASE', base.ref);
  writeFileSync(join(dir, 'Dockerfile'), text);
  for (const [name, content] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), content);
  const tag = `stagescope-test/docker-build:${run}-${made.length}`;
  made.push(tag);
  const events: BuildEvent[] = [];
  const locator = stepLocatorFor(parseDockerfile(text, { path: 'Dockerfile' }));
  const result = (async () => {
    const ctx = await createBuildContext(dir, { dockerfile: join(dir, 'Dockerfile') });
    return buildImage(docker, {
      context: ctx.stream,
      dockerfileName: ctx.dockerfileName,
      target: opts.target,
      tag,
      labels: { [LABEL]: run },
      builder: opts.builder ?? 'buildkit',
      noCache: opts.noCache,
      signal: opts.signal,
      onEvent: (e) => {
        events.push(e);
        opts.onEvent?.(e);
      },
      ...locator,
    }).then(
      (r) => {
        leftovers.push(...r.leftoverImageIds);
        return r;
      },
      (err: StageScopeError) => {
        if (err.is('build')) leftovers.push(...(err.details.leftoverImageIds ?? []));
        throw err;
      },
    );
  })();
  return { events, tag, result };
}

const vertices = (events: BuildEvent[]) => events.filter((e): e is Extract<BuildEvent, { type: 'vertex' }> => e.type === 'vertex');

const TWO_STAGES = `FROM BASE AS build
WORKDIR /src
RUN echo built > /artifact.txt && echo "compiling"
FROM scratch AS final
COPY --from=build /artifact.txt /artifact.txt
`;

describe('buildImage with BuildKit', () => {
  it('builds the target stage of a 2-stage Dockerfile, tagged and labelled', async () => {
    const { events, tag, result } = startBuild(TWO_STAGES, { target: 'build', noCache: true });
    const { imageId } = await result;
    const info = await inspectImage(docker, tag);
    expect(info.id).toBe(imageId);
    expect(info.labels[LABEL]).toBe(run);
    const v = vertices(events);
    // BuildKit builds only what the target needs: nothing of stage 1.
    expect(v.some((e) => e.stage === 1)).toBe(false);
    expect(v.find((e) => e.name.includes('RUN echo built') && e.status === 'completed')).toMatchObject({ stage: 0, line: 3 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'log', stage: 0, text: 'compiling' }));
  }, 120_000);

  it('builds the final stage with COPY --from tied to its line', async () => {
    const { events, result } = startBuild(TWO_STAGES);
    await result;
    expect(vertices(events).find((e) => e.name.includes('COPY --from=build') && e.status !== 'started')).toMatchObject({
      stage: 1,
      line: 5,
    });
  }, 120_000);

  it('runs optional secret and ssh mounts with nothing mounted, as docker build does with no --secret / --ssh', async () => {
    // Without a BuildKit session this failed with "no active sessions".
    const { result } = startBuild(`FROM BASE
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc --mount=type=ssh,required=false \\
    if [ -e /root/.npmrc ]; then echo mounted; else echo absent; fi > /secret-state
`);
    const { imageId } = await result;
    expect(imageId).toMatch(/^sha256:/);
  }, 120_000);

  it('rejects a failing RUN with the stage, instruction, line and last log lines', async () => {
    const { events, result } = startBuild(`FROM BASE AS compile
RUN echo ok
RUN for i in $(seq 1 30); do echo "line $i"; done; echo boom >&2; exit 7
`);
    const err = await result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StageScopeError);
    const e = err as StageScopeError<'build'>;
    expect(e.code).toBe('build');
    expect(e.message).toContain('line 3');
    const failure = e.details.failure!;
    expect(failure).toMatchObject({ stage: 0, stageName: 'compile', line: 3 });
    expect(failure.instruction).toMatch(/^RUN for i in/);
    expect(failure.message).toContain('exit code: 7');
    // BuildKit reads stdout and stderr on separate pipes: under load "boom" can arrive before
    // every stdout line (seen). The report keeps the last stderr lines wherever they landed.
    const failedId = vertices(events).find((e) => e.status === 'failed')!.id;
    const streamed = events.flatMap((e) => (e.type === 'log' && e.vertex === failedId ? [e.text] : []));
    expect(streamed.filter((l) => l !== 'boom')).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 1}`));
    expect(streamed.filter((l) => l === 'boom')).toHaveLength(1);
    expect(failure.logs).toHaveLength(20);
    expect(failure.logs).toContain('boom');
    const stdoutTail = failure.logs.filter((l) => l !== 'boom');
    expect(stdoutTail.at(-1)).toBe('line 30');
    expect(stdoutTail).toEqual(Array.from({ length: stdoutTail.length }, (_, i) => `line ${31 - stdoutTail.length + i}`));
  }, 120_000);

  it('survives a step longer than 20 s (no "no active session")', async () => {
    const { events, result } = startBuild(`FROM BASE\nRUN sleep 22 && echo slept\n`, { noCache: true });
    const started = Date.now();
    await result;
    expect(Date.now() - started).toBeGreaterThanOrEqual(22_000);
    expect(events).toContainEqual(expect.objectContaining({ type: 'log', text: 'slept', stage: 0 }));
  }, 120_000);

  it('cancels a running build when the signal aborts', async () => {
    const abort = new AbortController();
    const attempt = startBuild(`FROM BASE\nRUN sleep 60\n`, {
      signal: abort.signal,
      noCache: true,
      onEvent: (e) => {
        if (e.type === 'vertex' && e.name.includes('sleep 60') && e.status === 'started') setTimeout(() => abort.abort(), 500);
      },
    });
    const err = await attempt.result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StageScopeError);
    expect((err as StageScopeError).code).toBe('cancelled');
    expect(await imageExists(docker, attempt.tag)).toBe(false);
  }, 60_000);

  it('recognises the offline `# syntax=` frontend failure', async () => {
    const { result } = startBuild(`# syntax=docker/dockerfile:1\nFROM BASE\nRUN true\n`);
    const err = await result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StageScopeError);
    expect(isFrontendResolutionError(err)).toBe(true);
    expect(isFrontendResolutionError(new Error('process "/bin/sh -c true" did not complete successfully'))).toBe(false);
  }, 60_000);

  it('reports an unknown target as a build error from the engine', async () => {
    const { result } = startBuild(TWO_STAGES, { target: 'nope' });
    const err = (await result.then(
      () => null,
      (e: unknown) => e,
    )) as StageScopeError;
    expect(err.code).toBe('build');
    expect(err.message).toMatch(/nope/);
  }, 60_000);
});

describe('buildImage with the classic builder', () => {
  it('builds every stage up to the target, events tied to stages and lines', async () => {
    const { events, tag, result } = startBuild(TWO_STAGES, { builder: 'classic', noCache: true });
    const { imageId, leftoverImageIds } = await result;
    // stage 0's image is left untagged by the classic builder: reported so it can be removed
    expect(leftoverImageIds).toHaveLength(1);
    expect((await inspectImage(docker, leftoverImageIds[0])).repoTags).toEqual([]);
    expect((await inspectImage(docker, tag)).id).toBe(imageId);
    const started = vertices(events).filter((e) => e.status === 'started');
    // The classic builder appends a LABEL step for the API's labels: no Dockerfile line.
    expect(started.map((e) => [e.stage, e.line])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 4],
      [1, 5],
      [1, null],
    ]);
    expect(started[5].name).toContain(`LABEL ${LABEL}`);
    expect(events).toContainEqual(expect.objectContaining({ type: 'log', stage: 0, text: 'compiling' }));
  }, 120_000);

  it('names the failing step', async () => {
    const { result } = startBuild(`FROM BASE AS compile\nRUN echo one > /one\nRUN echo before && exit 4\n`, {
      builder: 'classic',
      noCache: true,
    });
    const err = (await result.then(
      () => null,
      (e: unknown) => e,
    )) as StageScopeError<'build'>;
    expect(err.code).toBe('build');
    expect(err.details.failure).toMatchObject({ stage: 0, stageName: 'compile', line: 3, logs: ['before'] });
    // the image of the step that worked stays behind untagged; removeUntaggedImages takes it
    const left = err.details.leftoverImageIds!;
    expect(left).toHaveLength(1);
    expect(await removeUntaggedImages(docker, left)).toHaveLength(1);
    expect(await imageExists(docker, left[0])).toBe(false);
  }, 120_000);
});

describe('test base image', () => {
  it('imports a busybox from busybox-static when asked, and removes it', async () => {
    const own = await busyboxBase(docker, { forceImport: true });
    try {
      expect(own.ref).toMatch(/^stagescope-test\/docker-busybox:/);
      expect(await imageExists(docker, own.ref)).toBe(true);
    } finally {
      await own.release();
    }
    expect(await imageExists(docker, own.ref)).toBe(false);
  }, 60_000);
});

describe('buildImage hints', () => {
  it('says a missing base image must be made locally', async () => {
    const { result } = startBuild(`FROM stagescope-test/never-built:1\nRUN true\n`);
    const err = (await result.then(
      () => null,
      (e: unknown) => e,
    )) as StageScopeError;
    expect(err.code).toBe('build');
    expect(err.hint).toContain('stagescope-test/never-built:1');
    expect(isFrontendResolutionError(err)).toBe(false);
  }, 60_000);
});
