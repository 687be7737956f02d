// The step model both builders' progress feeds (buildkit-progress.ts, classic-progress.ts):
// one state per step, its status emitted once and never back from a final state, its log lines
// split on newlines (a line may arrive in pieces) with the tail kept for a failure report.
import type { BuildEvent, BuildFailure, Builder, VertexStatus } from '../../../shared/model.ts';

export interface StepCallbacks {
  /** Stage index of a name as BuildKit prints it (lowercased `AS` name or `stage-N`). */
  stageOfName(name: string): number | null;
  /** Dockerfile line of step `step` (1-based, builder's own counting) of a stage. */
  lineOf?(stage: number, step: number, text: string, builder: Builder): number | null;
  /** The stage's `AS` name as written, for failures (BuildKit omits it in single-stage files). */
  stageNameOf?(stage: number): string | null;
}

/** How many trailing log lines of a step are kept for a failure report. */
export const FAILURE_LOG_LINES = 20;
/** stderr lines a failure report always keeps: the error is usually there. */
const FAILURE_STDERR_LINES = 5;
// eslint-disable-next-line no-control-regex -- ESC starts the terminal colour codes this strips
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

export const stripAnsi = (text: string) => text.replace(ANSI, '');

/** A log line kept for a failure report, with the stream it came on. */
interface KeptLine {
  text: string;
  stderr: boolean;
}

/** One build step: a BuildKit vertex, or a classic builder `Step N/M`. */
export interface StepState {
  id: string;
  name: string;
  stage: number | null;
  stageName: string | null;
  line: number | null;
  /** The instruction as the builder printed it. */
  text: string;
  emitted: Set<VertexStatus>;
  error?: string;
  logs: KeptLine[];
  /** The last few stderr lines, kept even when later stdout pushes them out of `logs`. */
  lastErrors: KeptLine[];
  /** An unterminated last line per stream (1 stdout, 2 stderr). */
  partial: Map<number, string>;
}

/**
 * The last FAILURE_LOG_LINES lines, except that the last stderr lines push the oldest ones
 * out: BuildKit reads stdout and stderr on separate pipes, so the error a step printed last
 * can arrive before a screenful of its stdout. Order as received.
 */
export function failureLogs(logs: KeptLine[], lastErrors: KeptLine[]): string[] {
  const tail = logs.slice(-FAILURE_LOG_LINES);
  const missing = lastErrors.filter((e) => !tail.includes(e));
  return [...missing, ...tail.slice(missing.length)].map((l) => l.text);
}

export class BuildSteps {
  private readonly steps = new Map<string, StepState>();
  /** The step to blame for the build's failure, once one is known. */
  failed: StepState | null = null;

  constructor(readonly emit: (e: BuildEvent) => void) {}

  get(id: string): StepState | undefined {
    return this.steps.get(id);
  }

  add(id: string, fields: Pick<StepState, 'name' | 'stage' | 'stageName' | 'line' | 'text'>): StepState {
    const step: StepState = { id, ...fields, emitted: new Set(), logs: [], lastErrors: [], partial: new Map() };
    this.steps.set(id, step);
    return step;
  }

  setStatus(v: StepState, status: VertexStatus, extra: { error?: string; started?: number; completed?: number }): void {
    if (v.emitted.has(status)) return;
    // Never go back from a final state (the engine repeats vertices).
    if (v.emitted.has('failed') || v.emitted.has('completed') || v.emitted.has('cached')) {
      if (status === 'started' || status === 'completed') return;
    }
    v.emitted.add(status);
    const event: BuildEvent = { type: 'vertex', stage: v.stage, id: v.id, name: v.name, line: v.line, status };
    if (extra.error) event.error = extra.error;
    if (extra.started !== undefined) event.started = extra.started;
    if (extra.completed !== undefined) event.completed = extra.completed;
    this.emit(event);
  }

  /** A piece of a stream's output: whole lines are logged, the rest waits for its end. */
  appendLog(v: StepState, stream: number, data: string): void {
    const text = (v.partial.get(stream) ?? '') + data;
    const parts = text.split(/\r?\n/);
    v.partial.set(stream, parts.pop() ?? '');
    for (const line of parts) this.logLine(v, line, stream === 2);
  }

  flushLogs(v: StepState): void {
    for (const [stream, rest] of v.partial) {
      if (rest) this.logLine(v, rest, stream === 2);
      v.partial.set(stream, '');
    }
  }

  /** End of stream: unterminated log lines of every step. */
  flushAll(): void {
    for (const v of this.steps.values()) this.flushLogs(v);
  }

  logLine(v: StepState, raw: string, stderr = false): void {
    const line = stripAnsi(raw);
    const entry = { text: line, stderr };
    v.logs.push(entry);
    if (v.logs.length > FAILURE_LOG_LINES * 2) v.logs.splice(0, v.logs.length - FAILURE_LOG_LINES);
    if (stderr) {
      v.lastErrors.push(entry);
      if (v.lastErrors.length > FAILURE_STDERR_LINES) v.lastErrors.shift();
    }
    this.emit({ type: 'log', stage: v.stage, vertex: v.id, text: line });
  }

  /** What failed, for a BuildFailure; `fallbackStage` when no step could be blamed. */
  failure(fallbackStage: number, error: string | null, stageNameOf?: (stage: number) => string | null): BuildFailure {
    const v = this.failed ?? [...this.steps.values()].reverse().find((x) => x.error) ?? null;
    return {
      stage: v?.stage ?? fallbackStage,
      stageName: (v?.stage != null ? stageNameOf?.(v.stage) : undefined) ?? v?.stageName ?? null,
      // `[internal] load metadata for ...` is no instruction of the Dockerfile.
      instruction: v && v.stage !== null ? v.text : null,
      line: v?.line ?? null,
      message: error ?? v?.error ?? 'the build failed',
      logs: v ? failureLogs(v.logs, v.lastErrors) : [],
    };
  }
}
