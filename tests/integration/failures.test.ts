// A failing RUN, and a build step longer than the ~10 s after which BuildKit drops a dockerode
// session (apocas/dockerode#845): the engine must build without one.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFixture, cleanupFixture, fixtureDockerfile } from './harness.ts';

const run = promisify(execFile);

afterAll(async () => {
  await cleanupFixture('failing');
  await cleanupFixture('slow-step');
});

describe('failing build', () => {
  it('names the stage, the line and the last log lines; the stages already built stay analyzable', async () => {
    const a = await analyzeFixture('failing', { allStages: true });
    const failure = a.outcome.failure!;
    expect(failure).toMatchObject({ stage: 1, stageName: 'broken', line: 6 });
    expect(failure.instruction).toContain('exit 3');
    expect(failure.logs.join('\n')).toContain('STAGESCOPE_FIXTURE_FAILURE: intentional');
    expect(a.report.stages[0].built).toBe(true);
    expect(a.report.stages[1].failure?.line).toBe(6);
    expect(a.stages.get(0)!.tree.get('/ok.txt')).not.toBeNull();
    // The Dockerfile lines around the failing one, as written in the user's file.
    const lines = (await readFile(fixtureDockerfile('failing'), 'utf8')).split('\n');
    expect(failure.context?.map((c) => c.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(failure.context?.find((c) => c.line === 6)?.text).toBe(lines[5]);
    expect(a.report.stages[1].failure?.context).toEqual(failure.context);
    // No final image: nothing to compare, not a saving of the whole builder.
    expect(a.report.stages[a.report.targetIndex].built).toBe(false);
    expect(a.report.sizes.final).toBeNull();
    expect(a.report.sizes.saved).toBeNull();
  });

  it('exits 1 from the CLI with one sentence on stderr', async () => {
    const err = await run('node', ['bin/stagescope.js', 'analyze', fixtureDockerfile('failing')]).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/stagescope: stage broken failed at line 6/);
    expect(err.stderr).toContain('STAGESCOPE_FIXTURE_FAILURE');
    expect(err.stdout).toContain(
      'No final image: the build failed in stage broken before the target stage-2 could be built, so there is no final size and no bytes saved.',
    );
  });

  it('diff of a stage that cannot be built: exit 1, the failure named with its log', async () => {
    const err = await run('node', ['bin/stagescope.js', 'diff', fixtureDockerfile('failing'), '0', 'stage-2']).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/stagescope: Stage stage-2 could not be built: stage broken failed at line 6/);
    expect(err.stderr).toContain('STAGESCOPE_FIXTURE_FAILURE');
    expect(err.stdout).toBe('');
  });
});

describe('slow step', () => {
  it('survives a 22 s RUN with BuildKit', async () => {
    const a = await analyzeFixture('slow-step', { buildArgs: { RUN_ID: `${process.pid}-${Date.now()}` } });
    expect(a.outcome.failure).toBeNull();
    expect(a.stages.get(1)!.tree.get('/slow.txt')).not.toBeNull();
  });
});
