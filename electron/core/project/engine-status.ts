// Whether the engine answers, as data: the UI shows the error in place and offers a retry.
import type { EngineStatus } from '../../../shared/api.ts';
import { serializeError } from '../../../shared/errors.ts';
import { connectEngine } from '../docker/connection.ts';
import { homedir } from 'node:os';
import { resolveEndpoint } from '../docker/endpoint.ts';
import { chosenContext } from '../docker/contexts.ts';

export async function engineStatus(): Promise<EngineStatus> {
  let host = 'unknown';
  let context: string | null = null;
  try {
    const endpoint = resolveEndpoint({ env: process.env, homeDir: homedir(), context: chosenContext() ?? undefined });
    host = endpoint.host;
    context = endpoint.context;
  } catch {
    // keep 'unknown'; connectEngine reports the real problem below
  }
  try {
    const conn = await connectEngine();
    return { ok: true, info: conn.info, host: conn.host, context };
  } catch (err) {
    return { ok: false, host, error: serializeError(err), context };
  }
}
