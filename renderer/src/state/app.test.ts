import { describe, expect, it } from 'vitest';
import { AppState, bestDockerfile, sameDockerfile } from './app.svelte.ts';
import { fakeApi } from '../test/fakeApi.ts';
import { model, plan, report } from '../test/fixtures.ts';

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
    expect(api.calls.map((c) => c.name)).toEqual(['project.open', 'report.get', 'dockerfile.parse', 'check.run']);
  });

  it('sends build args and options to build.start', async () => {
    const api = fakeApi({ 'build.start': () => ({ buildId: 'b' }) });
    const app = new AppState(api);
    app.dockerfile = 'Dockerfile';
    app.model = model;
    app.plan = plan;
    app.buildArgs = [{ key: ' GO_VERSION ', value: '1.24' }, { key: '', value: 'ignored' }];
    app.builder = 'classic';
    app.target = 'builder';
    await app.startBuild();
    expect(api.calls[0].args).toEqual({ dockerfile: 'Dockerfile', target: 'builder', allStages: false, buildArgs: { GO_VERSION: '1.24' }, builder: 'classic' });
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
