// The WebSocket side of the browser host: `{id, name, args}` in, `{id, ...WireResponse}` out,
// events pushed as `{event, payload}` to every connected page.
import type { WebSocket } from 'ws';
import { serializeError, StageScopeError } from '../../shared/errors.ts';
import { dispatch } from '../core/api/dispatch.ts';
import type { HandlerTable } from '../core/api/types.ts';

type RequestId = string | number;

function parseMessage(data: string): { id: RequestId; name: unknown; args: unknown } | null {
  try {
    const msg: unknown = JSON.parse(data);
    if (typeof msg !== 'object' || msg === null) return null;
    const { id, name, args } = msg as Record<string, unknown>;
    if (typeof id !== 'string' && typeof id !== 'number') return null;
    return { id, name, args };
  } catch {
    return null;
  }
}

/** Largest message a page may send (tree.rows may list 100k expanded paths); ws refuses more. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export function serveSocket(ws: WebSocket, table: HandlerTable): void {
  // A protocol error (a frame announcing more than MAX_MESSAGE_BYTES, invalid UTF-8 in a text
  // frame, a bad opcode) is emitted as 'error' on this connection: without a listener it
  // would end the whole host. ws has already sent the close frame; drop this socket only.
  ws.on('error', () => ws.terminate());
  ws.on('message', async (data, isBinary) => {
    const msg = isBinary ? null : parseMessage(data.toString());
    if (!msg) {
      const error = new StageScopeError('usage', 'A message was not a JSON request {id, name, args}.', 'Reload the page.');
      ws.send(JSON.stringify({ id: null, ok: false, error: serializeError(error) }));
      return;
    }
    const response = await dispatch(table, msg.name, msg.args);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, ...response }));
  });
}

export function broadcast(clients: Iterable<WebSocket>, event: string, payload: unknown): void {
  const text = JSON.stringify({ event, payload });
  for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
}
