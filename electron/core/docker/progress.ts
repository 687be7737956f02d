// Turns the engine's build stream (newline-delimited JSON) into BuildEvents. Two dialects:
// BuildKit (`moby.buildkit.trace` aux messages holding protobuf StatusResponses) and the
// classic builder (`{"stream":"Step 2/5 : RUN ..."}` text). Both end with an image id
// (`moby.image.id` / `{"aux":{"ID"}}`) or an `errorDetail`.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { BuildEvent, BuildFailure, Builder, VertexStatus } from '../../../shared/model.ts';
import { decodeStatus, timestampMs, type PbVertex, type PbVertexWarning } from './buildkit-proto.ts';
import { parseVertexName, stageIndexFromGeneratedName } from './vertex-name.ts';

export interface StepCallbacks {
  /** Stage index of a name as BuildKit prints it (lowercased `AS` name or `stage-N`). */
  stageOfName(name: string): number | null;
  /** Dockerfile line of step `step` (1-based, builder's own counting) of a stage. */
  lineOf?(stage: number, step: number, text: string, builder: Builder): number | null;
  /** The stage's `AS` name as written, for failures (BuildKit omits it in single-stage files). */
  stageNameOf?(stage: number): string | null;
}

/** How many trailing log lines of a vertex are kept for a failure report. */
export const FAILURE_LOG_LINES = 20;
// eslint-disable-next-line no-control-regex -- ESC starts the terminal colour codes this strips
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

interface VertexState {
  id: string;
  name: string;
  stage: number | null;
  stageName: string | null;
  line: number | null;
  text: string;
  emitted: Set<VertexStatus>;
  error?: string;
  logs: LogLine[];
  /** The last few stderr lines, kept even when later stdout pushes them out of `logs`. */
  lastErrors: LogLine[];
  partial: Map<number, string>;
}

interface LogLine {
  text: string;
  stderr: boolean;
}

/** stderr lines a failure report always keeps: the error is usually there. */
const FAILURE_STDERR_LINES = 5;

/**
 * The last FAILURE_LOG_LINES lines, except that the last stderr lines push the oldest ones
 * out: BuildKit reads stdout and stderr on separate pipes, so the error a step printed last
 * can arrive before a screenful of its stdout. Order as received.
 */
export function failureLogs(logs: LogLine[], lastErrors: LogLine[]): string[] {
  const tail = logs.slice(-FAILURE_LOG_LINES);
  const missing = lastErrors.filter((e) => !tail.includes(e));
  return [...missing, ...tail.slice(missing.length)].map((l) => l.text);
}

export class ProgressDecoder {
  imageId: string | null = null;
  /**
   * Classic builder only: images it made but will not tag (the end of each earlier stage, and
   * on failure the last step that succeeded). They stay behind as dangling images.
   */
  get leftoverImageIds(): string[] {
    const ids = this.classicStageEnds.filter((id) => id !== this.imageId);
    if (this.error && this.classicLastStepImage) ids.push(this.classicLastStepImage);
    return [...new Set(ids)];
  }
  private classicStageEnds: string[] = [];
  private classicLastStepImage: string | null = null;
  /** The build's error message (errorDetail), when it failed. */
  error: string | null = null;
  private vertices = new Map<string, VertexState>();
  private failed: VertexState | null = null;
  // Classic builder state: the step being run and the stage it belongs to.
  private classicStage = -1;
  private classicStep = 0;
  private classicCurrent: VertexState | null = null;
  private classicStageName: string | null = null;

  constructor(
    private readonly callbacks: StepCallbacks,
    private readonly emit: (e: BuildEvent) => void,
  ) {}

  /** Feed one parsed JSON message of the build stream. */
  // The engine's JSON messages: each field is checked where it is read.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handle(msg: Record<string, any>): void {
    if (msg.errorDetail || msg.error) {
      this.error = String(msg.errorDetail?.message ?? msg.error);
      const current = this.classicCurrent;
      if (current) {
        current.error = this.error;
        this.failed ??= current;
        this.setStatus(current, 'failed', { error: this.error });
      }
      return;
    }
    if (msg.id === 'moby.buildkit.trace' && typeof msg.aux === 'string') return this.handleTrace(msg.aux);
    if (msg.aux && typeof msg.aux === 'object' && typeof msg.aux.ID === 'string') {
      // Classic builds send one per stage; the last one is the image asked for.
      this.imageId = msg.aux.ID;
      this.classicStageEnds.push(msg.aux.ID);
      return;
    }
    if (typeof msg.stream === 'string') this.handleClassic(msg.stream);
  }

  /** End of stream: flush unterminated log lines. */
  finish(): void {
    for (const v of this.vertices.values()) this.flushLogs(v);
    if (this.classicCurrent && !this.error) this.setStatus(this.classicCurrent, 'completed', {});
  }

  /** What failed, for a BuildFailure; `fallbackStage` when no vertex could be blamed. */
  failure(fallbackStage: number): BuildFailure {
    const v = this.failed ?? [...this.vertices.values()].reverse().find((x) => x.error) ?? null;
    return {
      stage: v?.stage ?? fallbackStage,
      stageName: (v?.stage != null ? this.callbacks.stageNameOf?.(v.stage) : undefined) ?? v?.stageName ?? null,
      // `[internal] load metadata for ...` is no instruction of the Dockerfile.
      instruction: v && v.stage !== null ? v.text : null,
      line: v?.line ?? null,
      message: this.error ?? v?.error ?? 'the build failed',
      logs: v ? failureLogs(v.logs, v.lastErrors) : [],
    };
  }

  private handleTrace(aux: string): void {
    const status = decodeStatus(aux);
    // One message lists vertex updates and logs apart, yet a vertex's logs were written before
    // it finished. Settling it first would flush its unterminated last line before the rest of
    // that line (in this same message) arrives, splitting it: so start vertices, then take the
    // logs, then settle vertices.
    const settles = (pv: PbVertex) => Boolean(pv.error) || Boolean(pv.cached) || timestampMs(pv.completed) !== undefined;
    for (const pv of status.vertexes) this.vertexFor(pv.digest, pv.name); // logs get their stage
    for (const pv of status.vertexes) if (!settles(pv)) this.handleVertex(pv);
    for (const log of status.logs) {
      const v = this.vertexFor(log.vertex);
      this.appendLog(v, log.stream ?? 1, Buffer.from(log.msg ?? []).toString('utf8'));
    }
    for (const pv of status.vertexes) if (settles(pv)) this.handleVertex(pv);
    for (const w of status.warnings) this.emit({ type: 'warning', message: this.warningText(w) });
  }

  private handleVertex(pv: PbVertex): void {
    const v = this.vertexFor(pv.digest, pv.name);
    const started = timestampMs(pv.started);
    const completed = timestampMs(pv.completed);
    if (pv.error) {
      v.error = pv.error;
      // Siblings cancelled by the failure also carry an error; blame the real one.
      if (!this.failed && !/context canceled/.test(pv.error)) this.failed = v;
      this.flushLogs(v);
      this.setStatus(v, 'failed', { error: pv.error, started, completed });
    } else if (pv.cached) {
      this.setStatus(v, 'cached', { started, completed });
    } else if (completed !== undefined) {
      this.flushLogs(v);
      this.setStatus(v, 'completed', { started, completed });
    } else if (started !== undefined) {
      this.setStatus(v, 'started', { started });
    }
  }

  private vertexFor(id: string, name?: string): VertexState {
    let v = this.vertices.get(id);
    if (!v) {
      v = {
        id,
        name: name ?? '',
        stage: null,
        stageName: null,
        line: null,
        text: name ?? '',
        emitted: new Set(),
        logs: [],
        lastErrors: [],
        partial: new Map(),
      };
      this.vertices.set(id, v);
    }
    if (name && !v.name) v.name = name;
    if (name && v.stage === null) this.locate(v, name);
    return v;
  }

  private locate(v: VertexState, name: string): void {
    const step = parseVertexName(name);
    if (!step) return;
    v.text = step.text;
    // No stage name in the prefix: the Dockerfile has a single stage.
    v.stage = step.stage === null ? 0 : (this.callbacks.stageOfName(step.stage) ?? stageIndexFromGeneratedName(step.stage));
    v.stageName = step.stage !== null && stageIndexFromGeneratedName(step.stage) === null ? step.stage : null;
    if (v.stage !== null) v.line = this.callbacks.lineOf?.(v.stage, step.step, step.text, 'buildkit') ?? null;
  }

  private setStatus(v: VertexState, status: VertexStatus, extra: { error?: string; started?: number; completed?: number }): void {
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

  private appendLog(v: VertexState, stream: number, data: string): void {
    const text = (v.partial.get(stream) ?? '') + data;
    const parts = text.split(/\r?\n/);
    v.partial.set(stream, parts.pop() ?? '');
    for (const line of parts) this.logLine(v, line, stream === 2);
  }

  private flushLogs(v: VertexState): void {
    for (const [stream, rest] of v.partial) {
      if (rest) this.logLine(v, rest, stream === 2);
      v.partial.set(stream, '');
    }
  }

  private logLine(v: VertexState, raw: string, stderr = false): void {
    const line = raw.replace(ANSI, '');
    const entry = { text: line, stderr };
    v.logs.push(entry);
    if (v.logs.length > FAILURE_LOG_LINES * 2) v.logs.splice(0, v.logs.length - FAILURE_LOG_LINES);
    if (stderr) {
      v.lastErrors.push(entry);
      if (v.lastErrors.length > FAILURE_STDERR_LINES) v.lastErrors.shift();
    }
    this.emit({ type: 'log', stage: v.stage, vertex: v.id, text: line });
  }

  private warningText(w: PbVertexWarning): string {
    const short = Buffer.from(w.short ?? [])
      .toString('utf8')
      .trim();
    const line = w.ranges?.[0]?.start?.line;
    const where = line ? `${w.info?.filename || 'Dockerfile'}:${line}: ` : '';
    return `${where}${short}${w.url ? ` (${w.url})` : ''}`;
  }

  // ------------------------------------------------------------ classic builder

  private handleClassic(chunk: string): void {
    for (const raw of chunk.split(/\r?\n/)) {
      const line = raw.replace(ANSI, '');
      const step = /^Step (\d+)\/(\d+) : ([\s\S]*)$/.exec(line);
      if (step) {
        this.classicStepStarted(Number(step[1]), step[3]);
        continue;
      }
      const v = this.classicCurrent;
      if (!line.trim() || !v) continue;
      if (/^ ---> Using cache$/.test(line)) {
        this.setStatus(v, 'cached', {});
        continue;
      }
      const made = /^ ---> ([0-9a-f]{12,64})$/.exec(line);
      // A FROM step's id is the base image: never someone's leftover.
      if (made && this.classicStep > 1) this.classicLastStepImage = made[1];
      // Bookkeeping lines of the classic builder, not output of the step.
      if (/^ ---> |^Removing intermediate container |^Successfully (built|tagged) /.test(line)) continue;
      this.logLine(v, line);
    }
  }

  private classicStepStarted(globalStep: number, text: string): void {
    const prev = this.classicCurrent;
    if (prev && !prev.emitted.has('cached')) this.setStatus(prev, 'completed', { completed: Date.now() });
    if (/^FROM\s/i.test(text)) {
      this.classicStage++;
      this.classicStep = 1;
    } else {
      this.classicStep++;
    }
    const stage = Math.max(this.classicStage, 0);
    if (this.classicStep === 1) this.classicStageName = /\sAS\s+(\S+)\s*$/i.exec(text)?.[1]?.toLowerCase() ?? null;
    const v: VertexState = {
      id: `classic-step-${globalStep}`,
      name: `[${this.classicStageName ?? `stage-${stage}`} ${this.classicStep}] ${text}`,
      stage,
      stageName: this.classicStageName,
      line: this.callbacks.lineOf?.(stage, this.classicStep, text, 'classic') ?? null,
      text,
      emitted: new Set(),
      logs: [],
      lastErrors: [],
      partial: new Map(),
    };
    this.vertices.set(v.id, v);
    this.classicCurrent = v;
    this.setStatus(v, 'started', { started: Date.now() });
  }
}

/** The build stream as parsed JSON messages, one per line (a line may span chunks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see handle()
export async function* jsonMessages(stream: Readable): AsyncGenerator<Record<string, any>> {
  const decoder = new StringDecoder('utf8'); // a character may be split across chunks
  let buffered = '';
  for await (const chunk of stream) {
    buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
  buffered += decoder.end();
  if (buffered.trim()) yield JSON.parse(buffered);
}
