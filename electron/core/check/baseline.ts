// `--baseline`: a report of `stagescope analyze --json` (a file), or `last` / a snapshot id
// from the snapshot store.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StageScopeError } from '../../../shared/errors.ts';
import type { Report } from '../../../shared/model.ts';

export interface Baseline {
  report: Report;
  label: string;
}

function isReport(value: unknown): value is Report {
  const r = value as Report;
  return Boolean(r) && typeof r === 'object' && Array.isArray(r.stages) && typeof r.targetIndex === 'number' && r.stages.every((s) => typeof s?.index === 'number');
}

export async function loadReportFile(path: string): Promise<Baseline> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new StageScopeError('usage', `The baseline ${path} is not a readable JSON report (${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0]}).`, 'Give the output of `stagescope analyze --json`.');
  }
  if (!isReport(data)) throw new StageScopeError('usage', `The baseline ${path} is not a StageScope report (it has no stages and targetIndex).`, 'Give the output of `stagescope analyze --json`.');
  return { report: data, label: path };
}

export async function loadBaseline(ref: string, _projectDir: string, _dockerfile: string): Promise<Baseline> {
  const path = resolve(ref);
  const info = await stat(path).catch(() => null);
  if (info?.isFile()) return loadReportFile(path);
  if (ref === 'last' || /^[A-Za-z0-9._:-]+$/.test(ref)) {
    throw new StageScopeError('usage', `--baseline ${ref} needs the snapshot store, which this build of StageScope does not have yet.`, 'Give a report file instead: `stagescope analyze --json > base.json`, then `--baseline base.json`.');
  }
  throw new StageScopeError('usage', `The baseline ${ref} does not exist.`, 'Give `last`, a snapshot id, or a report file of `stagescope analyze --json`.');
}
