// The engine indicator: which engine (socket, ssh host, tcp host) and context is in use, and the
// context switch, which asks engine.use and shows the status that comes back.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import EngineSwitch from './EngineSwitch.svelte';
import type { EngineStatus } from '../../../shared/api.ts';
import { fakeApi } from '../testing/fakeApi.ts';

afterEach(cleanup);

const info = { version: '26.1.5', apiVersion: '1.45' };
const local: EngineStatus = { ok: true, info, host: 'unix:///var/run/docker.sock', context: null };
const remote: EngineStatus = { ok: true, info, host: 'ssh://builder@build-host', context: 'build' };

describe('EngineSwitch', () => {
  it('names the engine and switches the context for this session', async () => {
    const api = fakeApi({
      'engine.contexts': () => ({
        current: 'default',
        contexts: [
          { name: 'default', host: 'unix:///var/run/docker.sock' },
          { name: 'build', host: 'ssh://builder@build-host' },
          { name: 'ci', host: 'tcp://10.0.0.5:2376' },
        ],
      }),
      'engine.use': () => remote,
    });
    const changes: EngineStatus[] = [];
    const view = render(EngineSwitch, { api, status: local, onchange: (s: EngineStatus) => changes.push(s) });
    expect(screen.getByText('socket /var/run/docker.sock')).toBeTruthy();
    const select = (await screen.findByLabelText('Docker context')) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'default (socket /var/run/docker.sock)',
      'build (ssh builder@build-host)',
      'ci (tcp 10.0.0.5:2376)',
    ]);
    await fireEvent.change(select, { target: { value: 'build' } });
    expect(api.calls.find((c) => c.name === 'engine.use')?.args).toEqual({ context: 'build' });
    await view.rerender({ api, status: changes[0], onchange: () => undefined });
    expect(changes).toEqual([remote]);
    expect(screen.getByText('ssh builder@build-host')).toBeTruthy();
  });

  it('with only the default context, says which context it is', async () => {
    const api = fakeApi({ 'engine.contexts': () => ({ current: 'default', contexts: [{ name: 'default', host: 'unix:///x.sock' }] }) });
    render(EngineSwitch, { api, status: local, onchange: () => undefined });
    expect(await screen.findByText('context default')).toBeTruthy();
    expect(screen.queryByLabelText('Docker context')).toBeNull();
  });
});
