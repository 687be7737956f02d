// Live progress of one build, folded from the engine's BuildEvents. Kept apart from AppState
// so the folding rules (vertex status -> step status, log cap) can be read and tested alone.
import type { BuildRecord } from '../../../shared/api.ts';
import type { BuildEvent, BuildFailure, Report } from '../../../shared/model.ts';

/** 'stopped': still running when the build ended (cancelled, or the engine went away);
 *  'not run': still queued when it ended. */
export type StepStatus = 'queued' | 'running' | 'cached' | 'done' | 'failed' | 'stopped' | 'not run';
export type BuildOutcome = 'succeeded' | 'failed' | 'cancelled';
export type StageBuildState = 'not built' | 'queued' | 'building' | 'built' | 'failed';

export interface StepView {
  id: string;
  name: string;
  line: number | null;
  status: StepStatus;
  started?: number;
  completed?: number;
  error?: string;
}

export interface LogLine {
  stage: number | null;
  text: string;
}

/** Keep the log pane bounded: a chatty build must not grow the renderer without limit. */
export const MAX_LOG_LINES = 5000;

/** Steps that belong to no stage ([internal] vertices) are filed under this key. */
export const NO_STAGE = -1;

export class BuildProgress {
  buildId = $state<string | null>(null);
  running = $state(false);
  outcome = $state<BuildOutcome | null>(null);
  phase = $state<string | null>(null);
  stages = $state<Record<number, StageBuildState>>({});
  steps = $state<Record<number, StepView[]>>({});
  logs = $state.raw<LogLine[]>([]);
  failures = $state<BuildFailure[]>([]);
  warnings = $state<string[]>([]);
  /** ms since epoch; null before any build. */
  startedAt = $state<number | null>(null);
  finishedAt = $state<number | null>(null);
  /** Read back from the engine's record (a reload, a project opened again), not watched live. */
  restored = $state(false);
  /** Why a build ended that failed on something other than a build step (engine gone...). */
  error = $state<string | null>(null);

  /** Forget the previous build; the stages it will build start as queued. */
  reset(queued: number[]): void {
    this.buildId = null;
    this.running = true;
    this.outcome = null;
    this.phase = null;
    this.startedAt = Date.now();
    this.finishedAt = null;
    this.restored = false;
    this.error = null;
    this.stages = Object.fromEntries(queued.map((s) => [s, 'queued' as StageBuildState]));
    this.steps = {};
    this.logs = [];
    this.failures = [];
    this.warnings = [];
  }

  /** No build at all (another project was opened). */
  clear(): void {
    this.reset([]);
    this.running = false;
    this.startedAt = null;
  }

  /** Shows a build the engine recorded: replays its events, then settles it as it ended. */
  restore(record: BuildRecord, report: Report | null): void {
    this.reset([]);
    this.buildId = record.buildId;
    this.startedAt = record.startedAt;
    this.restored = true;
    for (const event of record.events) this.apply(event);
    if (record.outcome === null) return; // still running: live events continue it
    this.end(record.outcome === 'error' ? 'failed' : record.outcome, record.finishedAt ?? record.startedAt);
    this.error = record.outcome === 'error' ? (record.error?.message ?? null) : null;
    this.settle(report);
  }

  /** The build is over: how, and when. */
  end(outcome: BuildOutcome, at = Date.now()): void {
    this.running = false;
    this.phase = null;
    this.outcome = outcome;
    this.finishedAt = at;
  }

  /** After a build (or a failed start): stages left queued or building take the report's word. */
  settle(report: Report | null): void {
    for (const s of report?.stages ?? []) {
      if (s.failure) this.stages[s.index] = 'failed';
      else if (s.built) this.stages[s.index] = 'built';
    }
    if (this.running) return;
    for (const [k, v] of Object.entries(this.stages)) {
      if (v === 'queued' || v === 'building') this.stages[Number(k)] = 'not built';
    }
    // A step cut short keeps the time it ran until the build ended.
    const end = this.finishedAt ?? Date.now();
    for (const list of Object.values(this.steps)) {
      for (const s of list) {
        if (s.status !== 'running') continue;
        s.status = 'stopped';
        if (s.started !== undefined && s.completed === undefined) s.completed = Math.max(s.started, end);
      }
    }
  }

  stageState(stage: number): StageBuildState {
    return this.stages[stage] ?? 'not built';
  }

  apply(event: BuildEvent): void {
    switch (event.type) {
      case 'stage-start':
        this.stages[event.stage] = 'building';
        break;
      case 'stage-done':
        this.stages[event.stage] = 'built';
        break;
      case 'stage-failed':
        this.stages[event.stage] = 'failed';
        this.failures.push(event.failure);
        break;
      case 'warning':
        this.warnings.push(event.message);
        break;
      case 'log':
        this.appendLog(event.stage, event.text);
        break;
      case 'vertex':
        this.applyVertex(event);
        break;
    }
  }

  private applyVertex(event: Extract<BuildEvent, { type: 'vertex' }>): void {
    const key = event.stage ?? NO_STAGE;
    if (event.stage !== null && this.stages[event.stage] !== 'built' && this.stages[event.stage] !== 'failed') {
      this.stages[event.stage] = event.status === 'failed' ? 'failed' : 'building';
    }
    // Read back through the proxy: the raw array assigned would not be reactive.
    if (!this.steps[key]) this.steps[key] = [];
    const list = this.steps[key];
    // A stage built again as another target's dependency reports the same steps under new ids.
    let step = list.find((s) => s.id === event.id) ?? list.find((s) => s.name === event.name);
    if (!step) {
      list.push({ id: event.id, name: event.name, line: event.line, status: 'queued' });
      step = list[list.length - 1];
    } else if (step.status === 'done' || step.status === 'failed' || step.status === 'cached') {
      // The builds of the other stages that follow the target's replay its steps as cache
      // hits: what the step really did, and how long it took, is what the user watched.
      return;
    }
    step.status = stepStatus(event.status, event.completed);
    step.id = event.id;
    if (event.started !== undefined) step.started = event.started;
    if (event.completed !== undefined) step.completed = event.completed;
    if (event.error) step.error = event.error;
  }

  private appendLog(stage: number | null, text: string): void {
    const lines = text
      .replace(/\n$/, '')
      .split('\n')
      .map((t) => ({ stage, text: t }));
    const next = this.logs.concat(lines);
    this.logs = next.length > MAX_LOG_LINES ? next.slice(next.length - MAX_LOG_LINES) : next;
  }
}

export function stepStatus(status: 'started' | 'cached' | 'completed' | 'failed', completed?: number): StepStatus {
  if (status === 'failed') return 'failed';
  if (status === 'cached') return 'cached';
  if (status === 'completed' || completed !== undefined) return 'done';
  return 'running';
}
