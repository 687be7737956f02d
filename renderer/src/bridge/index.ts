// The renderer's one way to the engine: Electron's preload object when present, otherwise the
// browser host's WebSocket. Either way the views get the same StageScopeApi.
import type { StageScopeApi, StageScopeWire } from '../../../shared/api.ts';
import { createSocketWire, socketUrl } from './socket.ts';
import { pageToken, withToken } from './token.ts';
import { apiFromWire } from './wire.ts';

declare global {
  interface Window {
    stagescope?: StageScopeWire;
  }
}

export async function connectBridge(win: Window = window): Promise<StageScopeApi> {
  if (win.stagescope) return apiFromWire(win.stagescope);
  const wire = createSocketWire(withToken(socketUrl(win.location), pageToken(win)));
  await wire.ready();
  return apiFromWire(wire);
}

/** Where the browser downloads one file of a stage or an opened image (the browser's "extract"), with the page's token. */
export function downloadUrl(side: { stage: number } | { image: string }, path: string): string {
  const which: [string, string] = 'image' in side ? ['image', side.image] : ['stage', String(side.stage)];
  return withToken(`/download?${new URLSearchParams([which, ['path', path]])}`);
}

export { apiFromWire, unwrap } from './wire.ts';
export { createSocketWire, socketUrl } from './socket.ts';
