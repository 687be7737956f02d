// Build-over-build history in the UI (issue 11): the snapshots of the analyzed Dockerfile and
// the comparison of the current report with the one before it, loaded once per report. Kept
// beside AppState (one per app) so the graph, the stage view and the diff read the same data.
import type { CompareReport, CompareStage, SnapshotSummary } from '../../../shared/history.ts';
import type { Report } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import type { AppState } from './app.svelte.ts';

export class HistoryState {
  snapshots = $state.raw<SnapshotSummary[]>([]);
  compare = $state.raw<CompareReport | null>(null);
  error = $state.raw<unknown>(null);
  /** The Diff view's sides: '' is "now", otherwise a snapshot id. */
  snapA = $state('');
  snapB = $state('');
  private loadedFor: Report | null = null;

  constructor(private readonly app: AppState) {}

  /** Loads the snapshots and the comparison with the previous one for the current report. */
  async refresh(): Promise<void> {
    const report = this.app.report;
    if (!report || report === this.loadedFor) return;
    this.loadedFor = report;
    this.error = null;
    try {
      const [snapshots, compare] = await Promise.all([
        this.app.api.request('history.list', {}),
        this.app.api.request('history.compare', { baseline: 'last' }).catch((err: unknown) => {
          // The first analysis of a Dockerfile has nothing to compare with: no badges, no error.
          if (err instanceof StageScopeError && err.code === 'not-found') return null;
          throw err;
        }),
      ]);
      if (this.app.report !== report) return;
      this.snapshots = snapshots;
      this.compare = compare;
    } catch (err) {
      if (this.app.report === report) this.error = err;
    }
  }

  stage(index: number): CompareStage | null {
    return this.compare?.stages.find((s) => s.index === index && s.status !== 'removed') ?? null;
  }

  /** Bytes the stage's image grew (or shrank) since the baseline; null when unknown. */
  delta(index: number): number | null {
    const s = this.stage(index);
    return s && s.sizeBefore !== null && s.sizeAfter !== null ? s.sizeAfter - s.sizeBefore : null;
  }

  /** "stage final, yesterday 10:42": how the picker names a snapshot. */
  static when(time: string, now = new Date()): string {
    const t = new Date(time);
    const hm = t.toISOString().slice(11, 16);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const yesterday = new Date(now.getTime() - 86_400_000);
    if (day(t) === day(now)) return `today ${hm}`;
    if (day(t) === day(yesterday)) return `yesterday ${hm}`;
    return `${day(t)} ${hm}`;
  }
}

const states = new WeakMap<AppState, HistoryState>();

export function historyOf(app: AppState): HistoryState {
  let h = states.get(app);
  if (!h) states.set(app, (h = new HistoryState(app)));
  return h;
}
