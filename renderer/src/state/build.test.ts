import { describe, expect, it } from 'vitest';
import { BuildProgress, MAX_LOG_LINES, NO_STAGE, stepStatus } from './build.svelte.ts';
import { report } from '../test/fixtures.ts';

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
