// Background builds: build.start answers with an id at once and the work reports through
// events. One build per session at a time, because a session keeps one current report and the
// engine serialises builds of one context anyway; a second start is refused, not queued.
import { randomUUID } from 'node:crypto';
import type { BuildRecord, RequestArgs } from '../../../shared/api.ts';
import type { Report } from '../../../shared/model.ts';
import { StageScopeError, serializeError } from '../../../shared/errors.ts';
import type { ProjectSessionApi } from '../project/types.ts';
import type { Emit } from './emit.ts';
import { createBuildHistory, type BuildHistory } from './build-history.ts';

interface RunningBuild {
  id: string;
  session: ProjectSessionApi;
  controller: AbortController;
  done: Promise<void>;
}

export class BuildRunner {
  private readonly running = new Map<string, RunningBuild>();

  /** `history`: where each project's last build is kept (memory only by default). */
  constructor(private readonly history: BuildHistory = createBuildHistory(null)) {}

  /** The project's last build (running or finished), for a reloaded or new window. */
  last(root: string): Promise<BuildRecord | null> {
    return this.history.last(root);
  }

  start(session: ProjectSessionApi, args: RequestArgs<'build.start'>, emit: Emit): { buildId: string } {
    for (const build of this.running.values()) {
      if (build.session === session) {
        throw new StageScopeError('busy', 'A build of this project is already running.', 'Wait for it to finish or cancel it first.', {
          buildId: build.id,
        });
      }
    }
    const id = randomUUID();
    const controller = new AbortController();
    const { signal } = controller;
    this.history.begin(session.root, { buildId: id, dockerfile: args.dockerfile, target: args.target ?? null, startedAt: Date.now() });
    const run = async () => {
      try {
        // Cancelled before it began (window closed right after start): never touch the engine.
        if (signal.aborted) throw cancelledError();
        const report = await session.analyze(args, {
          signal,
          onEvent: (event) => {
            this.history.event(id, event);
            emit('build.event', { buildId: id, event });
          },
          onPhase: (phase, info) => emit('build.phase', { buildId: id, phase, ...info }),
        });
        if (signal.aborted) throw cancelledError();
        await this.history.finish(id, outcomeOf(report), null);
        emit('build.done', { buildId: id, report, error: null });
      } catch (err) {
        // Whatever the engine threw while being aborted, the user sees one clear "cancelled".
        const error = signal.aborted && !(err instanceof StageScopeError && err.code === 'cancelled') ? cancelledError() : err;
        const code = error instanceof StageScopeError ? error.code : null;
        await this.history.finish(id, code === 'cancelled' ? 'cancelled' : code === 'build' ? 'failed' : 'error', serializeError(error));
        emit('build.done', { buildId: id, report: null, error: serializeError(error) });
      } finally {
        this.running.delete(id);
      }
    };
    const build: RunningBuild = { id, session, controller, done: Promise.resolve() };
    this.running.set(id, build);
    // Start on the next tick so the caller has the id before the first event.
    build.done = new Promise<void>((resolve) => setImmediate(resolve)).then(run);
    return { buildId: id };
  }

  cancel(buildId: string): { cancelled: boolean } {
    const build = this.running.get(buildId);
    if (!build) return { cancelled: false };
    build.controller.abort();
    return { cancelled: true };
  }

  /** Aborts every running build (window closed, host shutting down); resolves when they end. */
  async cancelAll(): Promise<void> {
    const builds = [...this.running.values()];
    for (const b of builds) b.controller.abort();
    await Promise.all(builds.map((b) => b.done));
  }

  /** Resolves when the given build has emitted build.done (tests, shutdown). */
  async settled(buildId: string): Promise<void> {
    await this.running.get(buildId)?.done;
  }

  get size(): number {
    return this.running.size;
  }
}

function outcomeOf(report: Report): 'succeeded' | 'failed' {
  return report.stages.some((s) => s.failure) ? 'failed' : 'succeeded';
}

function cancelledError(): StageScopeError {
  return new StageScopeError('cancelled', 'The build was cancelled.', 'Start it again when you are ready.');
}
