import { describe, expect, it } from 'vitest';
import type { EventName, EventTypes } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { BuildRunner } from './builds.ts';
import { createHandlers } from './handlers.ts';
import { memoryRecentStore } from './recent.ts';
import { createSessionHolder } from './session-holder.ts';
import { fakeSession, type FakeSession } from './testing/fake-session.ts';
import type { HandlerDeps } from './types.ts';

function setup(extra: Partial<HandlerDeps> = {}, holdBuilds = false) {
  const events: { name: EventName; payload: EventTypes[EventName] }[] = [];
  const sessions: FakeSession[] = [];
  const holder = createSessionHolder(async (root) => {
    const s = fakeSession(root, { holdBuilds });
    sessions.push(s);
    return s;
  });
  const builds = new BuildRunner();
  const table = createHandlers({
    ...holder,
    recent: memoryRecentStore(),
    emit: (name, payload) => events.push({ name, payload }),
    engineStatus: async () => ({ ok: true, host: 'unix:///var/run/docker.sock', info: { version: '26.1', apiVersion: '1.45' } }),
    builds,
    ...extra,
  });
  return { table, events, sessions, builds, holder };
}

describe('createHandlers', () => {
  it('opens a project once per folder and remembers it as recent', async () => {
    const { table, sessions } = setup();
    await table['project.open']({ path: '/p/a' });
    await table['project.open']({ path: '/p/a/' });
    await table['project.open']({ path: '/p/b' });
    expect(sessions.map((s) => s.root)).toEqual(['/p/a', '/p/b']);
    expect(await table['project.recent']({})).toEqual(['/p/b', '/p/a']);
  });

  it('build.start answers with an id at once, then streams events and build.done', async () => {
    const { table, events, builds } = setup();
    await table['project.open']({ path: '/p' });
    const { buildId } = await table['build.start']({ dockerfile: 'Dockerfile' });
    expect(buildId).toMatch(/^[0-9a-f-]{36}$/);
    expect(events).toEqual([]); // nothing before the caller has its id
    await builds.settled(buildId);
    expect(events.map((e) => e.name)).toEqual(['build.phase', 'build.event', 'build.done']);
    expect(events[0].payload).toEqual({ buildId, phase: 'build', stage: 0 });
    const done = events[2].payload as EventTypes['build.done'];
    expect(done.error).toBeNull();
    expect(done.report?.target).toBe('final');
    expect(await table['report.get']({})).toEqual(done.report);
  });

  it('refuses a second build of the same session with busy, and cancel aborts the first', async () => {
    const { table, events, builds } = setup({}, true);
    await table['project.open']({ path: '/p' });
    const { buildId } = await table['build.start']({ dockerfile: 'Dockerfile' });
    await expect(table['build.start']({ dockerfile: 'Dockerfile' })).rejects.toMatchObject({ code: 'busy' });
    await new Promise((r) => setImmediate(r));
    expect(await table['build.cancel']({ buildId })).toEqual({ cancelled: true });
    await builds.settled(buildId);
    const done = events.find((e) => e.name === 'build.done')!.payload as EventTypes['build.done'];
    expect(done.report).toBeNull();
    expect(done.error?.details.code).toBe('cancelled');
    expect(await table['build.cancel']({ buildId })).toEqual({ cancelled: false });
    // Once it ended, a new build may start.
    await expect(table['build.start']({ dockerfile: 'Dockerfile' })).resolves.toHaveProperty('buildId');
    await builds.cancelAll();
    expect(builds.size).toBe(0);
  });

  it("build.last gives the open project's last build: its events and how it ended, per project", async () => {
    const { table, builds } = setup();
    expect(await table['build.last']({})).toBeNull();
    await table['project.open']({ path: '/p' });
    expect(await table['build.last']({})).toBeNull();
    const { buildId } = await table['build.start']({ dockerfile: 'Dockerfile', target: 'final' });
    await builds.settled(buildId);
    const last = await table['build.last']({});
    expect(last).toMatchObject({ buildId, dockerfile: 'Dockerfile', target: 'final', outcome: 'succeeded', error: null });
    expect(last!.events.length).toBeGreaterThan(0);
    expect(last!.finishedAt).toBeGreaterThanOrEqual(last!.startedAt);
    await table['project.open']({ path: '/q' });
    expect(await table['build.last']({})).toBeNull();
  });

  it('records a cancelled build as cancelled', async () => {
    const { table, builds } = setup({}, true);
    await table['project.open']({ path: '/p' });
    const { buildId } = await table['build.start']({ dockerfile: 'Dockerfile' });
    await new Promise((r) => setImmediate(r));
    await table['build.cancel']({ buildId });
    await builds.settled(buildId);
    expect(await table['build.last']({})).toMatchObject({ buildId, outcome: 'cancelled', error: { details: { code: 'cancelled' } } });
  });

  it('requires an open project for session requests', async () => {
    const { table } = setup();
    await expect(table['tree.rows']({ stage: 0, layer: null, expanded: 'all' })).rejects.toBeInstanceOf(StageScopeError);
    expect(await table['report.get']({})).toBeNull();
  });

  it('file.extract asks the save dialog for the destination and never uses the renderer path', async () => {
    const asked: string[] = [];
    const { table, sessions } = setup({ chooseSavePath: async (name) => (asked.push(name), '/home/u/chosen') });
    await table['project.open']({ path: '/p' });
    const res = await table['file.extract']({ stage: 1, path: '/app/hello', dest: '/etc/cron.d/evil' });
    expect(asked).toEqual(['evil']);
    expect(res.path).toBe('/home/u/chosen');
    expect(sessions[0].extracted).toEqual([{ stage: 1, path: '/app/hello', dest: '/home/u/chosen' }]);
  });

  it('file.extract reports a closed dialog as cancelled, and is refused without a dialog', async () => {
    const withDialog = setup({ chooseSavePath: async () => null });
    await withDialog.table['project.open']({ path: '/p' });
    await expect(withDialog.table['file.extract']({ stage: 0, path: '/a', dest: 'a' })).rejects.toMatchObject({ code: 'cancelled' });
    const browser = setup();
    await browser.table['project.open']({ path: '/p' });
    await expect(browser.table['file.extract']({ stage: 0, path: '/a', dest: '/tmp/a' })).rejects.toMatchObject({ code: 'usage' });
    expect(browser.sessions[0].extracted).toEqual([]);
  });

  it('project.choose opens what the picker returns, null when cancelled, usage without a picker', async () => {
    let answer: string | null = '/picked';
    const { table } = setup({ chooseFolder: async () => answer });
    expect(await table['project.choose']({})).toMatchObject({ root: '/picked' });
    answer = null;
    expect(await table['project.choose']({})).toBeNull();
    await expect(setup().table['project.choose']({})).rejects.toMatchObject({ code: 'usage' });
  });
});
