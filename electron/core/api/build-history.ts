// The last build of each project, as the engine saw it: its events (steps, log, warnings,
// failures), when it started and ended and how. A page reload or another renderer asks for it
// with build.last, so what the user watched is not lost with the window; with a folder it is
// also written to disk (one JSON file per project), so an app or `serve` restart keeps it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../files/write-atomic.ts';
import type { BuildRecord } from '../../../shared/api.ts';
import type { BuildEvent } from '../../../shared/model.ts';
import type { SerializedError } from '../../../shared/errors.ts';

/** Log lines kept per build (the renderer shows at most 5,000 too). */
export const MAX_RECORDED_LOG_LINES = 5000;

export interface BuildHistory {
  begin(root: string, record: Omit<BuildRecord, 'events' | 'finishedAt' | 'outcome' | 'error'>): void;
  event(buildId: string, event: BuildEvent): void;
  finish(buildId: string, outcome: NonNullable<BuildRecord['outcome']>, error: SerializedError | null): Promise<void>;
  last(root: string): Promise<BuildRecord | null>;
}

interface Live {
  root: string;
  record: BuildRecord;
  logLines: number;
}

const lineCount = (text: string) => text.replace(/\n$/, '').split('\n').length;

/** `dir` null: memory only (tests, hosts without a state folder). */
export function createBuildHistory(dir: string | null): BuildHistory {
  const byRoot = new Map<string, BuildRecord>();
  const live = new Map<string, Live>();
  const fileOf = (root: string) => path.join(dir!, 'builds', `${createHash('sha256').update(root).digest('hex').slice(0, 32)}.json`);

  async function save(root: string, record: BuildRecord): Promise<void> {
    if (!dir) return;
    await writeFileAtomic(fileOf(root), JSON.stringify({ root, record }));
  }

  return {
    begin(root, start) {
      const record: BuildRecord = { ...start, finishedAt: null, outcome: null, error: null, events: [] };
      byRoot.set(root, record);
      live.set(record.buildId, { root, record, logLines: 0 });
    },
    event(buildId, event) {
      const l = live.get(buildId);
      if (!l) return;
      l.record.events.push(event);
      if (event.type !== 'log') return;
      l.logLines += lineCount(event.text);
      // Drop the oldest log events in one pass once well over the bound.
      if (l.logLines <= MAX_RECORDED_LOG_LINES * 1.2) return;
      const kept: BuildEvent[] = [];
      for (const e of l.record.events) {
        if (e.type === 'log' && l.logLines > MAX_RECORDED_LOG_LINES) l.logLines -= lineCount(e.text);
        else kept.push(e);
      }
      l.record.events = kept;
    },
    async finish(buildId, outcome, error) {
      const l = live.get(buildId);
      if (!l) return;
      live.delete(buildId);
      l.record.finishedAt = Date.now();
      l.record.outcome = outcome;
      l.record.error = error;
      // A full disk or a read-only home costs the record after a restart, never the build.
      await save(l.root, l.record).catch(() => undefined);
    },
    async last(root) {
      const known = byRoot.get(root);
      if (known || !dir) return known ?? null;
      try {
        const data = JSON.parse(await readFile(fileOf(root), 'utf8')) as { root?: unknown; record?: BuildRecord };
        if (data.root !== root || !data.record || !Array.isArray(data.record.events)) return null;
        // Recorded as running but the host stopped meanwhile: it did not finish.
        const record = data.record.outcome === null ? { ...data.record, outcome: 'cancelled' as const } : data.record;
        byRoot.set(root, record);
        return record;
      } catch {
        return null;
      }
    },
  };
}
