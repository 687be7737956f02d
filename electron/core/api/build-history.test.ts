import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBuildHistory, MAX_RECORDED_LOG_LINES } from './build-history.ts';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

const start = (buildId: string) => ({ buildId, dockerfile: 'Dockerfile', target: null, startedAt: 1000 });

describe('createBuildHistory', () => {
  it("keeps each project's last build, running or finished", async () => {
    const h = createBuildHistory(null);
    h.begin('/p/a', start('b1'));
    h.event('b1', { type: 'warning', message: 'careful' });
    const running = await h.last('/p/a');
    expect(running).toMatchObject({ buildId: 'b1', outcome: null, finishedAt: null, events: [{ type: 'warning', message: 'careful' }] });
    await h.finish('b1', 'cancelled', null);
    expect(await h.last('/p/a')).toMatchObject({ outcome: 'cancelled' });
    expect((await h.last('/p/a'))!.finishedAt).toBeGreaterThan(0);
    expect(await h.last('/p/b')).toBeNull();
    // Events of a finished build are not added to it.
    h.event('b1', { type: 'warning', message: 'late' });
    expect((await h.last('/p/a'))!.events).toHaveLength(1);
  });

  it('survives a restart when given a folder', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'stagescope-history-'));
    const h = createBuildHistory(dir);
    h.begin('/p/a', start('b1'));
    h.event('b1', { type: 'stage-start', stage: 0, tag: 't' });
    h.event('b1', { type: 'log', stage: 0, vertex: null, text: 'hello\n' });
    await h.finish('b1', 'failed', null);
    const again = createBuildHistory(dir);
    expect(await again.last('/p/a')).toMatchObject({
      buildId: 'b1',
      outcome: 'failed',
      events: [{ type: 'stage-start' }, { type: 'log', text: 'hello\n' }],
    });
    expect(await again.last('/p/other')).toBeNull();
  });

  it('bounds the log it keeps, oldest lines first, and keeps every other event', async () => {
    const h = createBuildHistory(null);
    h.begin('/p', start('b'));
    h.event('b', { type: 'warning', message: 'w' });
    for (let i = 0; i < MAX_RECORDED_LOG_LINES * 2; i++) h.event('b', { type: 'log', stage: 0, vertex: null, text: `line ${i}\n` });
    const events = (await h.last('/p'))!.events;
    const logs = events.filter((e) => e.type === 'log');
    expect(logs.length).toBeLessThanOrEqual(MAX_RECORDED_LOG_LINES * 1.2);
    expect(logs.length).toBeGreaterThanOrEqual(MAX_RECORDED_LOG_LINES);
    expect(logs.at(-1)).toMatchObject({ text: `line ${MAX_RECORDED_LOG_LINES * 2 - 1}\n` });
    expect(events[0]).toEqual({ type: 'warning', message: 'w' });
  });
});
