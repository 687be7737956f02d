import { describe, expect, it } from 'vitest';
import { AppState } from './app.svelte.ts';
import { imageSource, stageState, whyNotBuilt } from './stage-status.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { formatClock } from '../lib/clock.ts';
import { model, report } from '../testing/fixtures.ts';
import type { Report } from '../../../shared/model.ts';

function cancelledAfterTarget(app: AppState): void {
  // The target (stage 2) was built first, its builder's steps inside that build; the cancel
  // came during the follow-up build of the builder stage on its own.
  app.build.reset([0, 2]);
  app.build.apply({ type: 'stage-start', stage: 2, tag: 't' });
  app.build.apply({
    type: 'vertex',
    stage: 0,
    id: 'v',
    name: '[builder 2/2] RUN go build',
    line: 2,
    status: 'completed',
    started: 1,
    completed: 2,
  });
  app.build.apply({ type: 'stage-done', stage: 2, imageId: 'sha256:final' });
  app.build.apply({ type: 'stage-start', stage: 0, tag: 't0' });
  app.build.end('cancelled');
  app.build.settle(app.report);
}

describe('stage states', () => {
  it('agree after a cancel: the final stage is never "built" while the stages it needs are "not built"', () => {
    const app = new AppState(fakeApi({}));
    app.model = model;
    cancelledAfterTarget(app);
    expect([stageState(app, 0), stageState(app, 2)]).toEqual(['not built', 'not built']);
    expect(whyNotBuilt(app, 2)).toBe('the build was cancelled');
  });

  it('after a cancel, show the images of the earlier build, and say they are from it', () => {
    const app = new AppState(fakeApi({}));
    app.model = model;
    const at = Date.now() - 3_600_000;
    const clock = formatClock(at);
    expect(clock).toMatch(/^\d\d:\d\d$/);
    app.setReport({ ...report, builtAt: at });
    expect(imageSource(app, 2)).toBe(`image from the build at ${clock}`);
    cancelledAfterTarget(app);
    expect([stageState(app, 0), stageState(app, 1), stageState(app, 2)]).toEqual(['built', 'not built', 'built']);
    expect(imageSource(app, 2)).toBe(`image from the earlier build at ${clock}`);
    expect(imageSource(app, 1)).toBeNull();
  });

  it('say why a stage has no image: its own failure, or a stage it needs that failed', () => {
    const app = new AppState(fakeApi({}));
    app.model = model;
    const failure = { stage: 0, stageName: 'builder', instruction: 'RUN go build', line: 2, message: 'exit code: 1', logs: [] };
    const failed: Report = {
      ...report,
      stages: report.stages.map((s) => ({ ...s, built: false, image: null, failure: s.index === 0 ? failure : null })),
    };
    app.setReport(failed);
    expect(stageState(app, 0)).toBe('failed');
    expect(whyNotBuilt(app, 0)).toBe('stage builder failed at line 2');
    expect(whyNotBuilt(app, 2)).toBe('it needs stage builder, which failed at line 2');
  });
});
