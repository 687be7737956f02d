// Runs one request from an untrusted renderer: the name must be in the contract, the
// arguments must pass its zod schema, and whatever goes wrong crosses as a serialised error.
import { requestSchemas, type RequestName, type WireResponse } from '../../../shared/api.ts';
import { StageScopeError, serializeError } from '../../../shared/errors.ts';
import type { HandlerTable } from './types.ts';

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, name);
}

export async function dispatch(table: HandlerTable, name: unknown, rawArgs: unknown): Promise<WireResponse> {
  try {
    if (!isRequestName(name)) {
      throw new StageScopeError(
        'usage',
        `Unknown request "${String(name).slice(0, 64)}".`,
        'The app and its host are out of step: restart StageScope.',
      );
    }
    const parsed = requestSchemas[name].safeParse(rawArgs === undefined ? {} : rawArgs);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') || '(arguments)';
      throw new StageScopeError(
        'usage',
        `Invalid argument "${field}" for ${name}: ${issue?.message ?? 'invalid'}.`,
        'Check the value sent.',
        {
          field,
        },
      );
    }
    const handler = table[name] as (args: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}
