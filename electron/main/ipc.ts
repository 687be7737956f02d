// The one IPC handler. Before anything runs it checks that the request comes from the app's
// own top frame; then dispatch validates the name and arguments against the contract.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { WireResponse } from '../../shared/api.ts';
import { serializeError, StageScopeError } from '../../shared/errors.ts';
import { dispatch } from '../core/api/dispatch.ts';
import type { HandlerTable } from '../core/api/types.ts';
import { REQUEST_CHANNEL } from '../../shared/ipc-channels.ts';
import type { AppUrlCheck } from './app-url.ts';

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

export function senderAllowed(event: SenderEvent, isAppUrl: AppUrlCheck): boolean {
  const frame = event.senderFrame;
  // A null frame was navigated away or destroyed; a frame with a parent is a subframe.
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

export async function handleRequest(
  table: HandlerTable,
  isAppUrl: AppUrlCheck,
  event: SenderEvent,
  name: unknown,
  args: unknown,
): Promise<WireResponse> {
  if (!senderAllowed(event, isAppUrl)) {
    const error = new StageScopeError('usage', 'The request was refused: it did not come from the StageScope window.', null);
    return { ok: false, error: serializeError(error) };
  }
  return dispatch(table, name, args);
}

export function registerIpc(ipcMain: IpcMain, table: HandlerTable, isAppUrl: AppUrlCheck): () => void {
  ipcMain.handle(REQUEST_CHANNEL, (event, name: unknown, args: unknown) => handleRequest(table, isAppUrl, event, name, args));
  return () => ipcMain.removeHandler(REQUEST_CHANNEL);
}
