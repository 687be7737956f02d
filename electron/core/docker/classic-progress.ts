// The classic builder's dialect of the build stream: plain text (`Step 2/5 : RUN ...`, the
// step's output, ` ---> <id>` bookkeeping) and one `{"aux":{"ID"}}` per stage image it made.
import type { BuildSteps, StepCallbacks, StepState } from './build-steps.ts';
import { stripAnsi } from './build-steps.ts';

export class ClassicProgress {
  /** The stage images it made, in order: the last one is the image asked for. */
  readonly stageEnds: string[] = [];
  /** The image of the last step that succeeded (left behind untagged when a later step fails). */
  lastStepImage: string | null = null;
  private stage = -1;
  private step = 0;
  private current: StepState | null = null;
  private stageName: string | null = null;

  constructor(
    private readonly steps: BuildSteps,
    private readonly callbacks: StepCallbacks,
  ) {}

  /** A piece of the text stream (may hold several lines). */
  text(chunk: string): void {
    for (const raw of chunk.split(/\r?\n/)) {
      const line = stripAnsi(raw);
      const step = /^Step (\d+)\/(\d+) : ([\s\S]*)$/.exec(line);
      if (step) {
        this.stepStarted(Number(step[1]), step[3]!);
        continue;
      }
      const v = this.current;
      if (!line.trim() || !v) continue;
      if (/^ ---> Using cache$/.test(line)) {
        this.steps.setStatus(v, 'cached', {});
        continue;
      }
      const made = /^ ---> ([0-9a-f]{12,64})$/.exec(line);
      // A FROM step's id is the base image: never someone's leftover.
      if (made && this.step > 1) this.lastStepImage = made[1]!;
      // Bookkeeping lines of the classic builder, not output of the step.
      if (/^ ---> |^Removing intermediate container |^Successfully (built|tagged) /.test(line)) continue;
      this.steps.logLine(v, line);
    }
  }

  /** The build failed (errorDetail): the step running is the one to blame. */
  failed(error: string): void {
    const current = this.current;
    if (!current) return;
    current.error = error;
    this.steps.failed ??= current;
    this.steps.setStatus(current, 'failed', { error });
  }

  /** End of stream: the last step finished unless the build failed. */
  finish(failed: boolean): void {
    if (this.current && !failed) this.steps.setStatus(this.current, 'completed', {});
  }

  private stepStarted(globalStep: number, text: string): void {
    const prev = this.current;
    if (prev && !prev.emitted.has('cached')) this.steps.setStatus(prev, 'completed', { completed: Date.now() });
    if (/^FROM\s/i.test(text)) {
      this.stage++;
      this.step = 1;
    } else {
      this.step++;
    }
    const stage = Math.max(this.stage, 0);
    if (this.step === 1) this.stageName = /\sAS\s+(\S+)\s*$/i.exec(text)?.[1]?.toLowerCase() ?? null;
    this.current = this.steps.add(`classic-step-${globalStep}`, {
      name: `[${this.stageName ?? `stage-${stage}`} ${this.step}] ${text}`,
      stage,
      stageName: this.stageName,
      line: this.callbacks.lineOf?.(stage, this.step, text, 'classic') ?? null,
      text,
    });
    this.steps.setStatus(this.current, 'started', { started: Date.now() });
  }
}
