// The only door between the sandboxed renderer and main: one `window.stagescope` object with
// request / on / host. ipcRenderer itself never crosses, and only the StageScope channels are
// reachable. Bundled as CommonJS: a sandboxed preload cannot load ES modules.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, RequestName, StageScopeWire, WireResponse } from '../../shared/api.ts';
import { REQUEST_CHANNEL, EVENT_CHANNEL, EVENT_NAMES } from '../../shared/ipc-channels.ts';

const wire: StageScopeWire = {
  host: 'electron',
  request(name: RequestName, args: unknown): Promise<WireResponse> {
    // Main validates name and args again; this only keeps junk off the channel.
    if (typeof name !== 'string') return Promise.reject(new TypeError('request name must be a string'));
    return ipcRenderer.invoke(REQUEST_CHANNEL, name, args) as Promise<WireResponse>;
  },
  on(name: EventName, listener: (payload: unknown) => void): () => void {
    if (!EVENT_NAMES.includes(name)) throw new TypeError(`Unknown event "${String(name)}"`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    // Our own wrapper, so the renderer never sees the IpcRendererEvent (it holds `sender`).
    const wrapped = (_event: IpcRendererEvent, eventName: unknown, payload: unknown) => {
      if (eventName === name) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('stagescope', wire);
