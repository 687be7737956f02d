import { describe, expect, it, vi } from 'vitest';
import type { StageScopeWire } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { connectBridge, downloadUrl } from './index.ts';
import { createSocketWire, socketUrl } from './socket.ts';
import { apiFromWire } from './wire.ts';

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: any[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) } as MessageEvent);
  }
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('socket wire', () => {
  it('derives the WebSocket URL from the page host', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:4100' })).toBe('ws://127.0.0.1:4100/ws');
    expect(socketUrl({ protocol: 'https:', host: 'x:1' })).toBe('wss://x:1/ws');
  });

  it('matches answers to requests by id and rebuilds errors as StageScopeErrors', async () => {
    FakeSocket.all = [];
    const api = apiFromWire(createSocketWire('ws://h/ws', (u) => new FakeSocket(u) as any));
    const a = api.request('project.recent', {});
    const b = api.request('copies.list', {});
    await tick();
    const ws = FakeSocket.all[0];
    ws.open();
    await tick();
    expect(ws.sent.map((m) => m.name)).toEqual(['project.recent', 'copies.list']);
    ws.receive({
      id: ws.sent[1].id,
      ok: false,
      error: { name: 'StageScopeError', message: 'No project is open.', details: { code: 'usage', hint: 'Open a project folder first.' } },
    });
    ws.receive({ id: ws.sent[0].id, ok: true, result: ['/p'] });
    expect(await a).toEqual(['/p']);
    const err = await b.catch((e) => e);
    expect(err).toBeInstanceOf(StageScopeError);
    expect(err).toMatchObject({ code: 'usage', hint: 'Open a project folder first.', message: 'No project is open.' });
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('delivers events to the listeners of that event until they unsubscribe', async () => {
    FakeSocket.all = [];
    const api = apiFromWire(createSocketWire('ws://h/ws', (u) => new FakeSocket(u) as any));
    const done = vi.fn();
    const off = api.on('build.done', done);
    const ws = FakeSocket.all[0];
    ws.open();
    ws.receive({ event: 'build.phase', payload: { buildId: 'b', phase: 'build' } });
    ws.receive({ event: 'build.done', payload: { buildId: 'b', report: null, error: null } });
    off();
    ws.receive({ event: 'build.done', payload: { buildId: 'c', report: null, error: null } });
    expect(done).toHaveBeenCalledTimes(1);
    expect(done).toHaveBeenCalledWith({ buildId: 'b', report: null, error: null });
  });

  it('fails pending requests when the socket drops and reconnects on the next request', async () => {
    FakeSocket.all = [];
    const api = apiFromWire(createSocketWire('ws://h/ws', (u) => new FakeSocket(u) as any));
    const p = api.request('report.get', {});
    await tick();
    FakeSocket.all[0].open();
    await tick();
    FakeSocket.all[0].close();
    await expect(p).rejects.toMatchObject({ message: 'The connection to StageScope was lost.' });
    const q = api.request('report.get', {});
    await tick();
    expect(FakeSocket.all).toHaveLength(2);
    const ws = FakeSocket.all[1];
    ws.open();
    await tick();
    ws.receive({ id: ws.sent[0].id, ok: true, result: null });
    expect(await q).toBeNull();
  });
});

describe('connectBridge', () => {
  it('uses Electron’s window.stagescope when present and rebuilds its errors', async () => {
    const wire: StageScopeWire = {
      host: 'electron',
      request: vi.fn(async () => ({
        ok: false as const,
        error: { name: 'StageScopeError', message: 'busy now', details: { code: 'busy' as const, hint: 'wait' } },
      })),
      on: vi.fn(() => () => {}),
    };
    const api = await connectBridge({ stagescope: wire } as unknown as Window);
    expect(api.host).toBe('electron');
    await expect(api.request('build.start', { dockerfile: 'Dockerfile' })).rejects.toMatchObject({ code: 'busy', hint: 'wait' });
    expect(wire.request).toHaveBeenCalledWith('build.start', { dockerfile: 'Dockerfile' });
  });

  it('builds a same-origin download URL with the path encoded', () => {
    expect(downloadUrl({ stage: 2 }, '/app/a b&c')).toBe('/download?stage=2&path=%2Fapp%2Fa+b%26c');
    expect(downloadUrl({ image: '0123456789ab' }, '/x')).toBe('/download?image=0123456789ab&path=%2Fx');
  });
});
