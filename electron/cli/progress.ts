// The live build display on stderr. Finished steps scroll by as lines; on a terminal the step
// now running is shown on a status line that is rewritten in place. Nothing goes to stdout,
// so `--json` output stays clean.
import { readDockerfile } from '../core/dockerfile/parse.ts';
import type { AnalyzeHooks } from '../core/project/types.ts';
import type { BuildEvent } from '../../shared/model.ts';
import { formatBytes, formatDuration, stageLabel } from '../../shared/format.ts';
import { failureLabel } from '../../shared/failure.ts';
import { safeText } from './table.ts';

export interface ProgressSink {
  event(e: BuildEvent): void;
  phase(phase: string, info?: { stage?: number; bytes?: number }): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream, stageLabel: (i: number | null) => string): ProgressSink {
  const tty = Boolean(stream.isTTY) && process.env.TERM !== 'dumb';
  const running = new Map<string, { name: string; stage: number | null; started: number }>();
  let status = '';

  const clearStatus = () => {
    if (tty && status) stream.write('\r\x1b[K');
  };
  const drawStatus = () => {
    if (!tty) return;
    const last = [...running.values()].pop();
    status = last ? `… ${stageLabel(last.stage)}: ${safeText(last.name).slice(0, (stream.columns ?? 100) - 20)}` : '';
    if (status) stream.write(status);
  };
  const line = (text: string) => {
    clearStatus();
    stream.write(`${text}\n`);
    drawStatus();
  };

  return {
    event(e) {
      switch (e.type) {
        case 'stage-start':
          line(`==> building stage ${stageLabel(e.stage)} as ${e.tag}`);
          break;
        case 'vertex': {
          if (e.name.startsWith('[internal]')) break;
          if (e.status === 'started') {
            running.set(e.id, { name: e.name, stage: e.stage, started: e.started ?? Date.now() });
            clearStatus();
            drawStatus();
            break;
          }
          const r = running.get(e.id);
          running.delete(e.id);
          const took = r && e.completed ? ` ${formatDuration(e.completed - r.started)}` : '';
          const where = e.line ? ` (line ${e.line})` : '';
          const verb = e.status === 'cached' ? 'CACHED' : e.status === 'failed' ? 'FAILED' : 'done';
          line(`    ${verb.padEnd(6)} ${safeText(e.name)}${where}${took}${e.error ? `: ${safeText(e.error)}` : ''}`);
          break;
        }
        case 'log':
          if (!tty) break; // logs of failures come back in the error; keep CI logs short
          break;
        case 'warning':
          line(`warning: ${safeText(e.message)}`);
          break;
        case 'stage-done':
          line(`==> stage ${stageLabel(e.stage)} built: ${e.imageId.slice(0, 19)}`);
          break;
        case 'stage-failed':
          line(`==> ${failureLabel(e.failure)}`);
          break;
      }
    },
    phase(phase, info) {
      if (phase === 'export' && info?.bytes !== undefined) {
        if (tty) {
          clearStatus();
          status = `… reading stage images: ${formatBytes(info.bytes)}`;
          stream.write(status);
        }
        return;
      }
      if (phase === 'export' || phase === 'analyze') line(`==> ${phase === 'export' ? 'exporting stage images' : 'analyzing'}`);
    },
    done() {
      clearStatus();
      status = '';
    },
  };
}

/** Runs `analyze` (a core analysis) with the build display on stderr, stages named as the Dockerfile names them. */
export async function withBuildDisplay<T>(
  dockerfile: string,
  buildArgs: Record<string, string>,
  analyze: (hooks: AnalyzeHooks) => Promise<T>,
): Promise<T> {
  const model = await readDockerfile(dockerfile, { buildArgs });
  const progress = createProgress(process.stderr, (i) => (i === null || !model.stages[i] ? 'internal' : stageLabel(model.stages[i])));
  try {
    return await analyze({ onEvent: (e) => progress.event(e), onPhase: (p, info) => progress.phase(p, info) });
  } finally {
    progress.done();
  }
}
