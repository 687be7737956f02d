// Turns the engine's build stream (newline-delimited JSON) into BuildEvents. Two dialects:
// BuildKit (`moby.buildkit.trace` aux messages holding protobuf StatusResponses,
// buildkit-progress.ts) and the classic builder (`{"stream":"Step 2/5 : RUN ..."}` text,
// classic-progress.ts), over one step model (build-steps.ts). Both end with an image id
// (`moby.image.id` / `{"aux":{"ID"}}`) or an `errorDetail`.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { BuildEvent, BuildFailure } from '../../../shared/model.ts';
import { BuildSteps, type StepCallbacks } from './build-steps.ts';
import { BuildKitProgress } from './buildkit-progress.ts';
import { ClassicProgress } from './classic-progress.ts';

export type { StepCallbacks } from './build-steps.ts';

export class ProgressDecoder {
  imageId: string | null = null;
  /** The build's error message (errorDetail), when it failed. */
  error: string | null = null;
  private readonly steps: BuildSteps;
  private readonly buildkit: BuildKitProgress;
  private readonly classic: ClassicProgress;

  constructor(
    private readonly callbacks: StepCallbacks,
    emit: (e: BuildEvent) => void,
  ) {
    this.steps = new BuildSteps(emit);
    this.buildkit = new BuildKitProgress(this.steps, callbacks);
    this.classic = new ClassicProgress(this.steps, callbacks);
  }

  /**
   * Classic builder only: images it made but will not tag (the end of each earlier stage, and
   * on failure the last step that succeeded). They stay behind as dangling images.
   */
  get leftoverImageIds(): string[] {
    const ids = this.classic.stageEnds.filter((id) => id !== this.imageId);
    if (this.error && this.classic.lastStepImage) ids.push(this.classic.lastStepImage);
    return [...new Set(ids)];
  }

  /** Feed one parsed JSON message of the build stream. */
  // The engine's JSON messages: each field is checked where it is read.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handle(msg: Record<string, any>): void {
    if (msg.errorDetail || msg.error) {
      this.error = String(msg.errorDetail?.message ?? msg.error);
      this.classic.failed(this.error);
      return;
    }
    if (msg.id === 'moby.buildkit.trace' && typeof msg.aux === 'string') return this.buildkit.trace(msg.aux);
    if (msg.aux && typeof msg.aux === 'object' && typeof msg.aux.ID === 'string') {
      // Classic builds send one per stage; the last one is the image asked for.
      this.imageId = msg.aux.ID;
      this.classic.stageEnds.push(msg.aux.ID);
      return;
    }
    if (typeof msg.stream === 'string') this.classic.text(msg.stream);
  }

  /** End of stream: flush unterminated log lines. */
  finish(): void {
    this.steps.flushAll();
    this.classic.finish(this.error !== null);
  }

  /** What failed, for a BuildFailure; `fallbackStage` when no step could be blamed. */
  failure(fallbackStage: number): BuildFailure {
    return this.steps.failure(fallbackStage, this.error, (stage) => this.callbacks.stageNameOf?.(stage) ?? null);
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
