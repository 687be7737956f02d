// BuildKit's dialect of the build stream: `moby.buildkit.trace` aux messages, each a protobuf
// StatusResponse listing vertex updates, log pieces and warnings. Vertices are tied to their
// stage and Dockerfile line by their name (`[build 2/4] RUN ...`, see vertex-name.ts).
import { decodeStatus, timestampMs, type PbVertex, type PbVertexWarning } from './buildkit-proto.ts';
import type { BuildSteps, StepCallbacks, StepState } from './build-steps.ts';
import { parseVertexName, stageIndexFromGeneratedName } from './vertex-name.ts';

export class BuildKitProgress {
  constructor(
    private readonly steps: BuildSteps,
    private readonly callbacks: StepCallbacks,
  ) {}

  /** One trace message (base64 protobuf). */
  trace(aux: string): void {
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
      this.steps.appendLog(v, log.stream ?? 1, Buffer.from(log.msg ?? []).toString('utf8'));
    }
    for (const pv of status.vertexes) if (settles(pv)) this.handleVertex(pv);
    for (const w of status.warnings) this.steps.emit({ type: 'warning', message: warningText(w) });
  }

  private handleVertex(pv: PbVertex): void {
    const v = this.vertexFor(pv.digest, pv.name);
    const started = timestampMs(pv.started);
    const completed = timestampMs(pv.completed);
    if (pv.error) {
      v.error = pv.error;
      // Siblings cancelled by the failure also carry an error; blame the real one.
      if (!this.steps.failed && !/context canceled/.test(pv.error)) this.steps.failed = v;
      this.steps.flushLogs(v);
      this.steps.setStatus(v, 'failed', { error: pv.error, started, completed });
    } else if (pv.cached) {
      this.steps.setStatus(v, 'cached', { started, completed });
    } else if (completed !== undefined) {
      this.steps.flushLogs(v);
      this.steps.setStatus(v, 'completed', { started, completed });
    } else if (started !== undefined) {
      this.steps.setStatus(v, 'started', { started });
    }
  }

  private vertexFor(id: string, name?: string): StepState {
    const v = this.steps.get(id) ?? this.steps.add(id, { name: name ?? '', stage: null, stageName: null, line: null, text: name ?? '' });
    if (name && !v.name) v.name = name;
    if (name && v.stage === null) this.locate(v, name);
    return v;
  }

  private locate(v: StepState, name: string): void {
    const step = parseVertexName(name);
    if (!step) return;
    v.text = step.text;
    // No stage name in the prefix: the Dockerfile has a single stage.
    v.stage = step.stage === null ? 0 : (this.callbacks.stageOfName(step.stage) ?? stageIndexFromGeneratedName(step.stage));
    v.stageName = step.stage !== null && stageIndexFromGeneratedName(step.stage) === null ? step.stage : null;
    if (v.stage !== null) v.line = this.callbacks.lineOf?.(v.stage, step.step, step.text, 'buildkit') ?? null;
  }
}

function warningText(w: PbVertexWarning): string {
  const short = Buffer.from(w.short ?? [])
    .toString('utf8')
    .trim();
  const line = w.ranges?.[0]?.start?.line;
  const where = line ? `${w.info?.filename || 'Dockerfile'}:${line}: ` : '';
  return `${where}${short}${w.url ? ` (${w.url})` : ''}`;
}
