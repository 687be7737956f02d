import { describe, expect, it } from 'vitest';
import { AppState, bestDockerfile, sameDockerfile } from './app.svelte.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { model, plan, report } from '../testing/fixtures.ts';

describe('AppState', () => {
  it('matches report Dockerfile paths, relative or absolute', () => {
    expect(sameDockerfile('/home/me/p/Dockerfile', 'Dockerfile')).toBe(true);
    expect(sameDockerfile('./sub/api.Dockerfile', 'sub/api.Dockerfile')).toBe(true);
    expect(sameDockerfile('/home/me/p/sub/Dockerfile', 'Dockerfile')).toBe(true);
    expect(sameDockerfile('/home/me/p/XDockerfile', 'Dockerfile')).toBe(false);
    expect(bestDockerfile('/home/me/p/sub/Dockerfile', ['Dockerfile', 'sub/Dockerfile'])).toBe('sub/Dockerfile');
    expect(bestDockerfile('/home/me/p/Dockerfile', ['Dockerfile', 'sub/Dockerfile'])).toBe('Dockerfile');
    expect(bestDockerfile('/elsewhere/x', ['Dockerfile'])).toBeNull();
  });

  it('opens a project, picks its Dockerfile and loads the last report of it', async () => {
    const api = fakeApi({
      'project.open': ({ path }) => ({ root: path, dockerfiles: ['a.Dockerfile', 'b.Dockerfile'] }),
      'dockerfile.parse': () => ({ model, plan }),
      'report.get': () => ({ ...report, dockerfile: '/p/b.Dockerfile' }),
    });
    const app = new AppState(api);
    await app.openProject('/p');
    expect(app.dockerfile).toBe('b.Dockerfile');
    expect(app.report?.targetIndex).toBe(2);
    expect(app.selectedStage).toBe(2);
    expect([app.diffA, app.diffB]).toEqual([0, 2]);
    expect(api.calls.map((c) => c.name)).toEqual(['project.open', 'report.get', 'dockerfile.parse', 'check.run', 'build.last']);
  });

  it('sends build args and options to build.start', async () => {
    const api = fakeApi({ 'build.start': () => ({ buildId: 'b' }) });
    const app = new AppState(api);
    app.dockerfile = 'Dockerfile';
    app.model = model;
    app.plan = plan;
    app.buildArgs = [
      { key: ' GO_VERSION ', value: '1.24' },
      { key: '', value: 'ignored' },
    ];
    app.builder = 'classic';
    app.target = 'builder';
    await app.startBuild();
    expect(api.calls[0].args).toEqual({
      dockerfile: 'Dockerfile',
      target: 'builder',
      allStages: false,
      buildArgs: { GO_VERSION: '1.24' },
      builder: 'classic',
    });
    expect(app.build.buildId).toBe('b');
    expect(app.build.stageState(1)).toBe('queued');
  });
});

describe('AppState overlapping opens', () => {
  it('keeps the folder opened last even when an earlier open answers later', async () => {
    let releaseFirst: () => void = () => {};
    const api = fakeApi({
      'project.open': ({ path }) =>
        path === '/slow'
          ? new Promise((resolve) => (releaseFirst = () => resolve({ root: '/slow', dockerfiles: ['Dockerfile'] })))
          : { root: path, dockerfiles: ['Dockerfile'] },
      'dockerfile.parse': () => ({ model, plan }),
      'report.get': () => ({ ...report, dockerfile: '/fast/Dockerfile' }),
    });
    const app = new AppState(api);
    const slow = app.openProject('/slow');
    await app.openProject('/fast');
    releaseFirst();
    await slow;
    expect(app.project?.root).toBe('/fast');
    expect(app.report?.dockerfile).toBe('/fast/Dockerfile');
  });

  it('ignores a report of another project', async () => {
    const api = fakeApi({
      'project.open': ({ path }) => ({ root: path, dockerfiles: ['Dockerfile'] }),
      'dockerfile.parse': () => ({ model, plan }),
      'report.get': () => ({ ...report, dockerfile: '/other/Dockerfile' }),
    });
    const app = new AppState(api);
    await app.openProject('/mine');
    expect(app.report).toBeNull();
  });
});

describe('AppState across projects', () => {
  it("shows only the newly opened project's state: its own earlier build, marked, never the previous project's", async () => {
    const earlier = {
      buildId: 'old',
      dockerfile: 'Dockerfile',
      target: null,
      startedAt: Date.UTC(2026, 0, 1, 10, 42),
      finishedAt: Date.UTC(2026, 0, 1, 10, 43),
      outcome: 'succeeded' as const,
      error: null,
      events: [{ type: 'log' as const, stage: 0, vertex: null, text: 'from project b\n' }],
    };
    const api = fakeApi({
      'project.open': ({ path }) => ({ root: path, dockerfiles: ['Dockerfile'] }),
      'dockerfile.parse': () => ({ model, plan }),
      'report.get': () => null,
      'build.last': () => (api.calls.filter((c) => c.name === 'project.open').length > 1 ? earlier : null),
      'build.start': () => ({ buildId: 'b1' }),
    });
    const app = new AppState(api);
    await app.openProject('/a');
    await app.startBuild();
    api.emit('build.event', {
      buildId: 'b1',
      event: { type: 'vertex', stage: 0, id: 'v', name: 'RUN a', line: 2, status: 'completed', started: 1, completed: 2 },
    });
    api.emit('build.event', { buildId: 'b1', event: { type: 'log', stage: 0, vertex: 'v', text: 'from project a\n' } });
    api.emit('build.event', { buildId: 'b1', event: { type: 'stage-done', stage: 0, imageId: 'sha256:a' } });
    api.emit('build.done', { buildId: 'b1', report, error: null });
    expect(app.build.logs.map((l) => l.text)).toEqual(['from project a']);

    app.buildArgs = [{ key: 'RUN_ID', value: 'a' }];
    app.allStages = true;
    await app.openProject('/b');
    expect(app.report).toBeNull();
    expect([app.buildArgs, app.allStages]).toEqual([[], false]);
    expect(app.build.logs.map((l) => l.text)).toEqual(['from project b']);
    expect(app.build.steps).toEqual({});
    expect(app.build.stageState(0)).toBe('not built');
    expect(app.build.restored).toBe(true);
    expect(app.build.startedAt).toBe(earlier.startedAt);
  });

  it('a build of the previous project still running is not shown under the new one', async () => {
    const api = fakeApi({
      'project.open': ({ path }) => ({ root: path, dockerfiles: ['Dockerfile'] }),
      'dockerfile.parse': () => ({ model, plan }),
      'report.get': () => null,
      'build.last': () => null,
      'build.start': () => ({ buildId: 'a1' }),
    });
    const app = new AppState(api);
    await app.openProject('/a');
    await app.startBuild();
    api.emit('build.event', {
      buildId: 'a1',
      event: { type: 'vertex', stage: 0, id: 'v', name: 'RUN a', line: 2, status: 'started', started: 1 },
    });
    await app.openProject('/b');
    expect(app.build.running).toBe(false);
    api.emit('build.event', { buildId: 'a1', event: { type: 'log', stage: 0, vertex: 'v', text: 'still project a\n' } });
    api.emit('build.done', { buildId: 'a1', report, error: null });
    expect(app.build.steps).toEqual({});
    expect(app.build.logs).toEqual([]);
    expect(app.report).toBeNull();
  });
});
