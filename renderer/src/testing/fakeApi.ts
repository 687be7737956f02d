// A fake StageScopeApi for component tests, built from canned data. The real transports
// (Electron IPC, the browser host's WebSocket) are covered by the e2e and transport tests.
import type { EventName, EventTypes, RequestArgs, RequestName, ResponseTypes, StageScopeApi } from '../../../shared/api.ts';

export type Handlers = { [K in RequestName]?: (args: RequestArgs<K>) => ResponseTypes[K] | Promise<ResponseTypes[K]> };

export interface FakeApi extends StageScopeApi {
  calls: { name: RequestName; args: unknown }[];
  emit<E extends EventName>(name: E, payload: EventTypes[E]): void;
}

export function fakeApi(handlers: Handlers, host: 'electron' | 'browser' = 'electron'): FakeApi {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: FakeApi['calls'] = [];
  return {
    host,
    calls,
    async request(name, args) {
      calls.push({ name, args });
      const handler = handlers[name] as ((a: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`fake api: no handler for ${name}`);
      return (await handler(args)) as never;
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    emit(name, payload) {
      for (const l of listeners.get(name) ?? []) l(payload);
    },
  };
}

/** A handler whose answers wait until the test settles them, in any order: for latest-wins
 *  tests. `calls[i]` is the i-th request, with its arguments. */
export function heldAnswers<A, T>() {
  const calls: { args: A; resolve(value: T): void; reject(error: unknown): void }[] = [];
  const handler = (args: A) => new Promise<T>((resolve, reject) => calls.push({ args, resolve, reject }));
  return { calls, handler };
}
