// Turns a raw wire (Electron's window.stagescope, or the WebSocket below) into the typed
// StageScopeApi the views use: `{ok:false}` answers become real StageScopeErrors again.
import type { EventName, EventTypes, RequestArgs, RequestName, ResponseTypes, StageScopeApi, WireResponse } from '../../../shared/api.ts';
import { deserializeError } from '../../../shared/errors.ts';

export interface RawWire {
  request(name: RequestName, args: unknown): Promise<WireResponse>;
  on(name: EventName, listener: (payload: unknown) => void): () => void;
  readonly host: 'electron' | 'browser';
}

export function unwrap<T>(response: WireResponse): T {
  if (response.ok) return response.result as T;
  throw deserializeError(response.error);
}

export function apiFromWire(wire: RawWire): StageScopeApi {
  return {
    host: wire.host,
    async request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<ResponseTypes[K]> {
      return unwrap<ResponseTypes[K]>(await wire.request(name, args));
    },
    on<E extends EventName>(name: E, listener: (payload: EventTypes[E]) => void): () => void {
      return wire.on(name, (payload) => listener(payload as EventTypes[E]));
    },
  };
}
