// Every invalid-Dockerfile error names the file and the line, in the message and the details.
import { StageScopeError, type DetailsByCode } from '../../../shared/errors.ts';

export function dockerfileError(
  path: string,
  line: number | null,
  message: string,
  hint: string,
  extra: Omit<DetailsByCode['dockerfile'], 'path' | 'line'> = {},
): StageScopeError {
  const where = line === null ? path : `${path}:${line}`;
  return new StageScopeError('dockerfile', `${where}: ${message}`, hint, { path, line, ...extra });
}
