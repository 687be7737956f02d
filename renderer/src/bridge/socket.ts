// The browser host's transport: one WebSocket to the page's own host (the token travels in the
// socket URL's query, see token.ts). Requests carry an id; answers and events come back
// on the same socket. A dropped socket fails what was pending and reconnects on the next use.
import type { EventName, RequestName, WireResponse } from '../../../shared/api.ts';
import { serializeError, StageScopeError } from '../../../shared/errors.ts';
import type { RawWire } from './wire.ts';

type SocketLike = Pick<WebSocket, 'send' | 'close' | 'readyState'> & {
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
};
export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;

function lostConnection(): WireResponse {
  const error = new StageScopeError(
    'internal',
    'The connection to StageScope was lost.',
    'Check that `stagescope serve` is still running, then reload the page.',
  );
  return { ok: false, error: serializeError(error) };
}

export function socketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

export function createSocketWire(url: string, factory: SocketFactory = (u) => new WebSocket(u)): RawWire & { ready(): Promise<void> } {
  let socket: SocketLike | null = null;
  let opened: Promise<SocketLike> | null = null;
  let nextId = 1;
  const pending = new Map<number, (response: WireResponse) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  function connect(): Promise<SocketLike> {
    if (opened && socket && socket.readyState <= OPEN) return opened;
    const ws = factory(url);
    socket = ws;
    opened = new Promise((resolve, reject) => {
      ws.onopen = () => resolve(ws);
      ws.onerror = () =>
        reject(
          new StageScopeError(
            'internal',
            'Could not connect to StageScope.',
            'Open the URL `stagescope serve` printed (it carries the token).',
          ),
        );
    });
    ws.onmessage = (ev) => onMessage(String(ev.data));
    ws.onclose = () => {
      if (socket === ws) {
        socket = null;
        opened = null;
      }
      for (const settle of pending.values()) settle(lostConnection());
      pending.clear();
    };
    opened.catch(() => {});
    return opened;
  }

  function onMessage(text: string): void {
    let msg: { id?: unknown; event?: unknown; payload?: unknown } & Partial<WireResponse>;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg.event === 'string') {
      for (const listener of listeners.get(msg.event) ?? []) listener(msg.payload);
      return;
    }
    if (typeof msg.id === 'number') {
      const settle = pending.get(msg.id);
      pending.delete(msg.id);
      const { id: _id, ...response } = msg;
      settle?.(response as WireResponse);
    }
  }

  return {
    host: 'browser',
    async ready() {
      await connect();
    },
    async request(name: RequestName, args: unknown): Promise<WireResponse> {
      const ws = await connect();
      const id = nextId++;
      return new Promise<WireResponse>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, name, args }));
      });
    },
    on(name: EventName, listener: (payload: unknown) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      // Subscribing opens the socket, so events arrive even before the first request.
      void connect().catch(() => {});
      return () => void set.delete(listener);
    },
  };
}
