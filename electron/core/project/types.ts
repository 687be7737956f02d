// What a project session offers the transports (CLI, Electron IPC, browser host). The API
// handlers in electron/core/api/ are thin wrappers around these methods.
import type { DiffSide, RequestArgs, ResponseTypes, EventTypes, StageArgs } from '../../../shared/api.ts';
import type { BuildEvent, Report } from '../../../shared/model.ts';

export interface AnalyzeHooks {
  onEvent?: (event: BuildEvent) => void;
  onPhase?: (phase: EventTypes['build.phase']['phase'], info?: { stage?: number; bytes?: number }) => void;
  signal?: AbortSignal;
}

import type { FileTree } from '../image/tree.ts';

export interface ProjectSessionApi {
  readonly root: string;
  listDockerfiles(): Promise<string[]>;
  parse(args: RequestArgs<'dockerfile.parse'>): Promise<ResponseTypes['dockerfile.parse']>;
  /** Builds and analyzes; keeps the result as the session's current report. One at a time. */
  analyze(args: RequestArgs<'build.start'>, hooks?: AnalyzeHooks): Promise<Report>;
  report(): Report | null;
  treeRows(args: StageArgs<'tree.rows'>): Promise<ResponseTypes['tree.rows']>;
  /** A diff's totals and first moves; its changes are paged with diffRows. */
  diffSummary(args: RequestArgs<'diff.summary'>): Promise<ResponseTypes['diff.summary']>;
  diffRows(args: RequestArgs<'diff.rows'>): Promise<ResponseTypes['diff.rows']>;
  diffFile(args: { a: number; b: number; path: string }): Promise<ResponseTypes['diff.file']>;
  copies(): Promise<ResponseTypes['copies.list']>;
  preview(args: StageArgs<'file.preview'>): Promise<ResponseTypes['file.preview']>;
  /** Streams one file's content out of a stage image (for extract and browser downloads). */
  readFile(stage: number, path: string): Promise<{ stream: NodeJS.ReadableStream; size: number; name: string }>;
  extract(args: StageArgs<'file.extract'>): Promise<ResponseTypes['file.extract']>;
  treemap(args: RequestArgs<'sizes.treemap'>): Promise<ResponseTypes['sizes.treemap']>;
  /** The project's checks on the last analysis (absent in sessions that cannot run them). */
  check?(): Promise<ResponseTypes['check.run']>;
  /** Build-over-build history and lineage (issue 11); optional so stand-in sessions need not have it. */
  history?: {
    list(): Promise<ResponseTypes['history.list']>;
    compare(args: RequestArgs<'history.compare'>): Promise<ResponseTypes['history.compare']>;
    why(args: RequestArgs<'lineage.why'>): ResponseTypes['lineage.why'];
  };
  /** A stage's merged tree (now or of a snapshot), to diff an opened image against. */
  sideTree?(side: Exclude<DiffSide, { image: string }>): Promise<FileTree>;
}
