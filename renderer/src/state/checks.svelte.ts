// The results of `stagescope check` for the open project, asked for after each build. The
// Checks view lists them; the graph shows one badge per stage from them.
import type { StageScopeApi } from '../../../shared/api.ts';
import type { CheckReport } from '../../../shared/check.ts';
import { plural } from '../lib/format.ts';

export interface StageBadge {
  kind: 'error' | 'warn' | 'ok';
  /** Failed checks at that severity, or 0 when all passed. */
  count: number;
  label: string;
}

export class ChecksState {
  report = $state.raw<CheckReport | null>(null);
  error = $state.raw<unknown>(null);
  loading = $state(false);
  private seq = 0;

  async refresh(api: StageScopeApi): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    try {
      const report = await api.request('check.run', {});
      if (seq !== this.seq) return;
      this.report = report;
      this.error = null;
    } catch (err) {
      if (seq !== this.seq) return;
      this.report = null;
      this.error = err;
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  clear(): void {
    this.seq++;
    this.report = null;
    this.error = null;
    this.loading = false;
  }

  /** The graph's badge for a stage: its worst failed severity and how many, or a pass mark. */
  badge(stage: number): StageBadge | null {
    const results = this.report?.results.filter((r) => r.stageIndex === stage) ?? [];
    if (results.length === 0) return null;
    const errors = results.filter((r) => !r.passed && r.severity === 'error').length;
    const warnings = results.filter((r) => !r.passed && r.severity === 'warn').length;
    if (errors) return { kind: 'error', count: errors, label: `${plural(errors, 'check')} failed` };
    if (warnings) return { kind: 'warn', count: warnings, label: plural(warnings, 'warning') };
    return { kind: 'ok', count: 0, label: 'checks passed' };
  }
}
