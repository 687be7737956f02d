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
      const issue = telling(parsed.error.issues[0]);
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

type Issue = { code: string; path: PropertyKey[]; message: string; errors?: Issue[][] };

/** A union's failure names the field of its closest branch (fewest issues: `stage` of a
 *  `{ stage } | { image }` request sent `stage: 'x'`), not the arguments as a whole. */
function telling(issue: Issue | undefined): Issue | undefined {
  if (issue?.code !== 'invalid_union' || !issue.errors?.length) return issue;
  const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]![0];
  const inner = telling(closest);
  return inner ? { ...inner, path: [...issue.path, ...inner.path] } : issue;
}
