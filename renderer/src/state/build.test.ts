import { describe, expect, it } from 'vitest';
import { BuildProgress, MAX_LOG_LINES, NO_STAGE, stepStatus } from './build.svelte.ts';
import { report } from '../testing/fixtures.ts';

describe('BuildProgress', () => {
  it('folds vertex events into per-stage steps', () => {
    const b = new BuildProgress();
    b.reset([0, 2]);
    expect(b.stageState(0)).toBe('queued');
    expect(b.stageState(1)).toBe('not built');
    b.apply({ type: 'vertex', stage: 0, id: 'v', name: 'RUN x', line: 2, status: 'started', started: 1 });
    expect(b.stageState(0)).toBe('building');
    expect(b.steps[0][0].status).toBe('running');
    b.apply({ type: 'vertex', stage: 0, id: 'v', name: 'RUN x', line: 2, status: 'completed', started: 1, completed: 5 });
    expect(b.steps[0]).toHaveLength(1);
    expect(b.steps[0][0]).toMatchObject({ status: 'done', completed: 5 });
    b.apply({ type: 'vertex', stage: null, id: 'i', name: '[internal] load', line: null, status: 'cached' });
    expect(b.steps[NO_STAGE][0].status).toBe('cached');
    b.apply({ type: 'stage-done', stage: 0, imageId: 'sha256:x' });
    expect(b.stageState(0)).toBe('built');
  });

  it('maps engine statuses and bounds the log', () => {
    expect(stepStatus('started')).toBe('running');
    expect(stepStatus('started', 5)).toBe('done');
    expect(stepStatus('failed', 5)).toBe('failed');
    const b = new BuildProgress();
    b.reset([]);
    for (let i = 0; i < MAX_LOG_LINES + 10; i += 2) b.apply({ type: 'log', stage: 0, vertex: null, text: `${i}\n${i + 1}\n` });
    expect(b.logs).toHaveLength(MAX_LOG_LINES);
    expect(b.logs.at(-1)?.text).toBe(String(MAX_LOG_LINES + 9));
  });

  it('settles stages the build never finished', () => {
    const b = new BuildProgress();
    b.reset([0, 1, 2]);
    b.apply({ type: 'stage-start', stage: 1, tag: 't' });
    b.apply({ type: 'vertex', stage: 1, id: 'v', name: 'RUN sleep', line: 5, status: 'started', started: 1 });
    b.running = false;
    b.settle(report);
    expect(b.steps[1][0].status).toBe('stopped');
    expect(b.stageState(0)).toBe('built');
    expect(b.stageState(1)).toBe('not built');
    expect(b.stageState(2)).toBe('built');
  });
});

describe('BuildProgress keeps what the user watched', () => {
  it('does not let the follow-up cache-hit builds of other stages overwrite a step that ran', () => {
    const b = new BuildProgress();
    b.reset([0, 1]);
    b.apply({ type: 'vertex', stage: 0, id: 'a', name: '[deps 2/2] RUN make', line: 2, status: 'started', started: 1000 });
    b.apply({
      type: 'vertex',
      stage: 0,
      id: 'a',
      name: '[deps 2/2] RUN make',
      line: 2,
      status: 'completed',
      started: 1000,
      completed: 4000,
    });
    // The build of stage `deps` alone, after the target's: the same step, a cache hit, new id.
    b.apply({ type: 'vertex', stage: 0, id: 'b', name: '[deps 2/2] RUN make', line: 2, status: 'started', started: 9000 });
    b.apply({ type: 'vertex', stage: 0, id: 'b', name: '[deps 2/2] RUN make', line: 2, status: 'cached', started: 9000, completed: 9000 });
    expect(b.steps[0]).toHaveLength(1);
    expect(b.steps[0][0]).toMatchObject({ status: 'done', started: 1000, completed: 4000 });
  });

  it('a stopped step keeps the time it ran until the build ended', () => {
    const b = new BuildProgress();
    b.reset([0]);
    b.apply({ type: 'vertex', stage: 0, id: 'v', name: 'RUN sleep 20', line: 3, status: 'started', started: 1000 });
    b.end('cancelled', 8000);
    b.settle(null);
    expect(b.steps[0][0]).toMatchObject({ status: 'stopped', started: 1000, completed: 8000 });
    expect(b.outcome).toBe('cancelled');
  });

  it('restores a recorded build: steps, log, warnings, failure and how it ended', () => {
    const b = new BuildProgress();
    b.restore(
      {
        buildId: 'r1',
        dockerfile: 'Dockerfile',
        target: null,
        startedAt: 1000,
        finishedAt: 5000,
        outcome: 'failed',
        error: null,
        events: [
          { type: 'warning', message: 'syntax line ignored' },
          {
            type: 'vertex',
            stage: 1,
            id: 'v',
            name: 'RUN exit 3',
            line: 6,
            status: 'failed',
            started: 2000,
            completed: 3000,
            error: 'exit code: 3',
          },
          { type: 'log', stage: 1, vertex: 'v', text: 'about to fail\n' },
          {
            type: 'stage-failed',
            stage: 1,
            failure: { stage: 1, stageName: 'broken', instruction: 'RUN exit 3', line: 6, message: 'exit code: 3', logs: [] },
          },
        ],
      },
      null,
    );
    expect(b.running).toBe(false);
    expect(b.restored).toBe(true);
    expect([b.outcome, b.startedAt, b.finishedAt]).toEqual(['failed', 1000, 5000]);
    expect(b.warnings).toEqual(['syntax line ignored']);
    expect(b.logs.map((l) => l.text)).toEqual(['about to fail']);
    expect(b.failures).toHaveLength(1);
    expect(b.steps[1][0]).toMatchObject({ status: 'failed', completed: 3000 });
  });

  it('a recorded build still running goes on live', () => {
    const b = new BuildProgress();
    b.restore(
      { buildId: 'r2', dockerfile: 'Dockerfile', target: null, startedAt: 1000, finishedAt: null, outcome: null, error: null, events: [] },
      null,
    );
    expect([b.running, b.buildId]).toEqual([true, 'r2']);
  });
});
