// `--baseline`: what growth budgets measure against. `last` (the newest earlier snapshot of
// this Dockerfile and target), a snapshot id, or a report file (`stagescope analyze --json`),
// resolved by the snapshot store's resolver (electron/core/history); only sizes are needed.
import { readFile } from 'node:fs/promises';
import { StageScopeError } from '../../../shared/errors.ts';
import type { Report } from '../../../shared/model.ts';
import { resolveBaseline } from '../history/baseline.ts';
import { SnapshotStore } from '../history/store.ts';

export interface BaselineSizes {
  targetIndex: number;
  stages: { index: number; name: string | null; size: number }[];
}

export interface Baseline {
  sizes: BaselineSizes;
  /** How the output names it: the file, or `snapshot <id> (<time>)`. */
  label: string;
}

export function reportSizes(report: Report): BaselineSizes {
  return {
    targetIndex: report.targetIndex,
    stages: report.stages.filter((s) => s.image).map((s) => ({ index: s.index, name: s.name, size: s.image!.size })),
  };
}

/** A report file read directly (tests, and tools that keep reports). */
export async function loadReportFile(path: string): Promise<Baseline> {
  let data: Report;
  try {
    data = JSON.parse(await readFile(path, 'utf8')) as Report;
  } catch (err) {
    throw new StageScopeError(
      'usage',
      `The baseline ${path} is not a readable JSON report (${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0]}).`,
      'Give the output of `stagescope analyze --json`.',
    );
  }
  if (!Array.isArray(data?.stages) || typeof data.targetIndex !== 'number') {
    throw new StageScopeError(
      'usage',
      `The baseline ${path} is not a StageScope report (it has no stages and targetIndex).`,
      'Give the output of `stagescope analyze --json`.',
    );
  }
  return { sizes: reportSizes(data), label: path };
}

/** Resolves `last | <snapshot-id> | <report.json>`; anything that cannot be used is a usage error (exit 2). */
export async function loadBaseline(ref: string, dockerfile: string, target: string): Promise<Baseline> {
  try {
    const store = await SnapshotStore.open();
    const base = await resolveBaseline(ref, { store, dockerfile, target: ref === 'last' ? target : undefined });
    const s = base.snapshot;
    return {
      sizes: { targetIndex: s.targetIndex, stages: s.stages.map((st) => ({ index: st.index, name: st.name, size: st.size })) },
      label: base.source === 'file' ? ref : `snapshot ${s.id} (${s.time.slice(0, 16).replace('T', ' ')})`,
    };
  } catch (err) {
    if (err instanceof StageScopeError) throw new StageScopeError('usage', err.message, err.hint, err.details);
    throw new StageScopeError(
      'usage',
      `The baseline ${ref} cannot be read: ${(err as Error).message}.`,
      'Give `last`, a snapshot id, or a report file of `stagescope analyze --json`.',
    );
  }
}
