// The individual measurements: docker save to /dev/null (the floor), one analysis in a child
// process, and the builds of measurement (5).
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Connection } from '../electron/core/docker/connection.ts';
import { createBuildContext } from '../electron/core/docker/context.ts';
import { buildImage } from '../electron/core/docker/build.ts';
import { readDockerfile } from '../electron/core/dockerfile/parse.ts';
import { buildStages } from '../electron/core/project/build-stages.ts';
import { stageLabels } from '../electron/core/project/naming.ts';
import { StageScopeError } from '../shared/errors.ts';
import type { ChildResult } from './types.ts';
import type { Fixture } from './fixture.ts';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));

/** (1) The floor: the engine streaming every stage image out, to /dev/null. */
export async function timeDockerSave(imageIds: string[]): Promise<number> {
  const devNull = openSync('/dev/null', 'w');
  try {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const p = spawn('docker', ['save', ...imageIds], { stdio: ['ignore', devNull, 'pipe'] });
      let err = '';
      p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker save failed (${code}): ${err.trim()}`))));
    });
    return performance.now() - t0;
  } finally {
    closeSync(devNull);
  }
}

/** (2)/(4) One analysis of every stage in a fresh process, with its own layer cache folder. */
export function runAnalysisChild(dockerfile: string, cacheDir: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'bench', 'child.ts'), dockerfile], {
      cwd: REPO,
      env: { ...process.env, STAGESCOPE_CACHE_DIR: cacheDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        return reject(new Error(`the analysis child failed (exit ${code}): ${err.trim().slice(-2000)}`));
      resolve(JSON.parse(line) as ChildResult);
    });
  });
}

/** (5a) Every stage, one `--target` at a time, as StageScope builds them. */
export async function timeStageByStage(conn: Connection, fixture: Fixture): Promise<number> {
  const model = await readDockerfile(fixture.dockerfile);
  const t0 = performance.now();
  const outcome = await buildStages(conn, {
    dockerfile: fixture.dockerfile,
    contextDir: fixture.dir,
    model,
    stages: model.stages.map((s) => s.index),
    options: { allStages: true },
  });
  if (outcome.failure)
    throw new StageScopeError(
      'build',
      `The benchmark fixture failed to build: ${outcome.failure.message}`,
      'Check the base images (scripts/ci).',
    );
  return performance.now() - t0;
}

/** (5b) One `docker build` of the final target, as a user would run it. */
export async function timeFinalBuild(conn: Connection, fixture: Fixture): Promise<number> {
  const model = await readDockerfile(fixture.dockerfile);
  const last = model.stages[model.stages.length - 1];
  const context = await createBuildContext(fixture.dir, { dockerfile: fixture.dockerfile });
  const t0 = performance.now();
  await buildImage(conn.docker, {
    context: context.stream,
    dockerfileName: context.dockerfileName,
    target: last.name ?? undefined,
    tag: `stagescope-test/bench-final:${process.pid}`,
    // StageScope's labels for this project: the benchmark's cleanup removes it with the stages.
    labels: stageLabels(fixture.dockerfile, last.index),
    builder: 'buildkit',
    network: 'none',
    onEvent: () => {},
    stageOfName: () => null,
  });
  return performance.now() - t0;
}
