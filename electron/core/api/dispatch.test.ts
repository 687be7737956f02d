import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch.ts';
import { createHandlers } from './handlers.ts';
import { createSessionHolder } from './session-holder.ts';
import { memoryRecentStore } from './recent.ts';
import { fakeSession } from './testing/fake-session.ts';

function table() {
  const holder = createSessionHolder(async (root) => fakeSession(root));
  return createHandlers({
    ...holder,
    recent: memoryRecentStore(),
    emit: () => {},
    engineStatus: async () => ({ ok: false, host: 'x', error: { name: 'E', message: 'down', details: { code: 'engine', hint: null } } }),
  });
}

describe('dispatch', () => {
  it('rejects a name that is not in the contract, including prototype keys', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 42, null]) {
      const res = await dispatch(table(), name, {});
      expect(res.ok).toBe(false);
      if (!res.ok) {
        expect(res.error.details.code).toBe('usage');
        expect(res.error.message).toMatch(/Unknown request/);
      }
    }
  });

  it('validates arguments with the zod schema and names the field', async () => {
    const res = await dispatch(table(), 'tree.rows', { stage: -1, layer: null, expanded: 'all' });
    expect(res).toMatchObject({ ok: false, error: { name: 'StageScopeError', details: { code: 'usage', field: 'stage' } } });
    const extra = await dispatch(table(), 'engine.status', { evil: true });
    expect(extra.ok).toBe(false);
    const relative = await dispatch(table(), 'file.preview', { stage: 0, path: 'etc/passwd' });
    expect(relative).toMatchObject({ ok: false, error: { details: { field: 'path' } } });
  });

  it('runs the handler with parsed arguments and wraps its result', async () => {
    const t = table();
    const res = await dispatch(t, 'project.open', { path: '/tmp/proj/../proj' });
    expect(res).toEqual({ ok: true, result: { root: '/tmp/proj', dockerfiles: ['Dockerfile', 'sub/app.Dockerfile'] } });
    expect(await dispatch(t, 'project.recent', undefined)).toEqual({ ok: true, result: ['/tmp/proj'] });
  });

  it('serialises handler errors with their code and hint', async () => {
    const res = await dispatch(table(), 'copies.list', {});
    expect(res).toEqual({
      ok: false,
      error: { name: 'StageScopeError', message: 'No project is open.', details: { code: 'usage', hint: 'Open a project folder first.' } },
    });
  });

  it('turns an unexpected throw into an internal error instead of rejecting', async () => {
    const t = table();
    t['report.get'] = async () => {
      throw new TypeError('boom');
    };
    expect(await dispatch(t, 'report.get', {})).toMatchObject({ ok: false, error: { name: 'TypeError', details: { code: 'internal' } } });
  });

  it('folder.complete: validated, answered without a project, errors cross as data', async () => {
    const bad = await dispatch(table(), 'folder.complete', { prefix: '' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.message).toMatch(/Invalid argument "prefix"/);
    const extra = await dispatch(table(), 'folder.complete', { prefix: '/', deep: true });
    expect(extra.ok).toBe(false);
    const root = await dispatch(table(), 'folder.complete', { prefix: '/' });
    expect(root.ok && (root.result as { folders: string[] }).folders).toContain('/tmp');
    const missing = await dispatch(table(), 'folder.complete', { prefix: '/no-such-folder-here/x' });
    expect(!missing.ok && missing.error.details.code).toBe('not-found');
  });
});
