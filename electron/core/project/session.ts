// A project session: one folder, its Dockerfiles, and the last analysis. The transports (CLI,
// Electron IPC, browser host) call these methods; large data stays here and the UI asks for
// the slice it shows (tree rows, one diff, one file).
import { realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { connectEngine, type Connection } from '../docker/connection.ts';
import { readDockerfile } from '../dockerfile/parse.ts';
import { planTarget } from '../dockerfile/plan.ts';
import { LayerViews } from '../image/layer-views.ts';
import { treemap } from './treemap.ts';
import type { FileTree } from '../image/tree.ts';
import type { DiffSide, RequestArgs, ResponseTypes, StageArgs } from '../../../shared/api.ts';
import { chosenContext } from '../docker/contexts.ts';
import type { Report } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { analyzeDockerfile, type Analysis } from './analyze.ts';
import { findDockerfiles } from './discover.ts';
import { assertExtractable, openImageFile, readImageFileHead } from './file-content.ts';
import { saveFile } from './save-file.ts';
import { previewContent, previewEntry, TEXT_PREVIEW_LIMIT } from './preview.ts';
import type { AnalyzeHooks, ProjectSessionApi } from './types.ts';
import { checkProject } from '../check/project-check.ts';
import { HistorySession } from './history-session.ts';
import { DiffCache } from './diff-cache.ts';

export interface SessionOptions {
  /** How to reach the engine; connectEngine() by default (DOCKER_HOST, contexts...). */
  connect?: () => Promise<Connection>;
}

export class ProjectSession implements ProjectSessionApi {
  private analysis: Analysis | null = null;
  private running: Promise<Report> | null = null;
  /** The engine connection and the docker context it was made under (the UI can switch it). */
  private connection: { context: string | null; conn: Connection } | null = null;
  /** Per-layer and up-to-layer views the UI pages through. */
  private readonly layerViews = new LayerViews();
  /** Snapshots, comparison, lineage and snapshot diffs of the current analysis. */
  readonly history = new HistorySession(() => this.current());
  /** Diffs of two sides (stages now or of a snapshot), paged as rows. */
  private readonly diffs = new DiffCache((pair) => this.history.diff(pair));

  constructor(
    readonly root: string,
    private readonly options: SessionOptions = {},
  ) {}

  async engine(): Promise<Connection> {
    // After a context switch (engine.use) the next request goes to the engine chosen.
    const context = chosenContext();
    if (this.connection?.context === context) return this.connection.conn;
    const conn = await (this.options.connect ?? connectEngine)();
    this.connection = { context, conn };
    return conn;
  }

  listDockerfiles(): Promise<string[]> {
    return findDockerfiles(this.root);
  }

  /** Resolves a Dockerfile path given relative to the root; refuses one outside the folder. */
  resolveDockerfile(path: string): string {
    const abs = isAbsolute(path) ? resolve(path) : resolve(this.root, path);
    // Symlinks resolved too: a project's `Dockerfile -> ~/.ssh/id_rsa` must not be read.
    const real = (p: string) => {
      try {
        return realpathSync(p);
      } catch {
        return p; // a missing file is reported by the reader, with its name
      }
    };
    const outside = (p: string, root: string) => {
      const rel = relative(root, p);
      return rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..');
    };
    if (outside(abs, this.root) || outside(real(abs), real(this.root))) {
      throw new StageScopeError(
        'usage',
        `The Dockerfile ${path} is outside the project folder ${this.root}.`,
        'Pick a Dockerfile inside the opened folder.',
      );
    }
    return abs;
  }

  async parse(args: RequestArgs<'dockerfile.parse'>): Promise<ResponseTypes['dockerfile.parse']> {
    const path = this.resolveDockerfile(args.dockerfile);
    const model = await readDockerfile(path, { buildArgs: args.buildArgs });
    return { model, plan: planTarget(model, args.target) };
  }

  async analyze(args: RequestArgs<'build.start'>, hooks: AnalyzeHooks = {}): Promise<Report> {
    if (this.running) {
      throw new StageScopeError('busy', 'A build of this project is already running.', 'Wait for it to finish or cancel it.');
    }
    const run = (async () => {
      const dockerfile = this.resolveDockerfile(args.dockerfile);
      const conn = await this.engine();
      const analysis = await analyzeDockerfile(conn, { dockerfile, contextDir: dirname(dockerfile), options: args }, hooks);
      analysis.report.builtAt = Date.now();
      this.analysis = analysis;
      this.diffs.clear();
      return analysis.report;
    })();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  report(): Report | null {
    return this.analysis?.report ?? null;
  }

  /** The analysis, or a clear error when nothing has been built yet. */
  current(): Analysis {
    if (!this.analysis) throw new StageScopeError('not-found', 'Nothing has been analyzed yet.', 'Build the Dockerfile first.');
    return this.analysis;
  }

  stageImage(stage: number) {
    const a = this.current();
    const analyzed = a.stages.get(stage);
    if (!analyzed) {
      const label = a.model.stages[stage] ? (a.model.stages[stage].name ?? `stage-${stage}`) : String(stage);
      throw new StageScopeError('not-found', `Stage ${label} was not built.`, 'Build it (for example with "all stages") and try again.');
    }
    return analyzed;
  }

  private tree(stage: number): FileTree {
    return this.stageImage(stage).tree;
  }

  sideTree(side: Exclude<DiffSide, { image: string }>): Promise<FileTree> {
    return this.history.tree(side);
  }

  async treeRows(args: StageArgs<'tree.rows'>): Promise<ResponseTypes['tree.rows']> {
    const img = this.stageImage(args.stage);
    return this.layerViews.rows(img.imageId, img, args, 'this stage');
  }

  diffSummary(args: RequestArgs<'diff.summary'>): Promise<ResponseTypes['diff.summary']> {
    return this.diffs.summary(args);
  }

  diffRows(args: RequestArgs<'diff.rows'>): Promise<ResponseTypes['diff.rows']> {
    return this.diffs.rows(args);
  }

  private async textOf(stage: number, path: string): Promise<{ text: string | null; binary: boolean; truncated: boolean }> {
    const meta = this.tree(stage).get(path);
    if (!meta || meta.type !== 'file') return { text: null, binary: false, truncated: false };
    const conn = await this.engine();
    const { bytes, size } = await readImageFileHead(conn.docker, this.stageImage(stage).imageId, path, TEXT_PREVIEW_LIMIT);
    const p = previewContent(bytes, size);
    return p.kind === 'text' ? { text: p.text, binary: false, truncated: p.truncated } : { text: null, binary: true, truncated: false };
  }

  async diffFile(args: { a: number; b: number; path: string }): Promise<ResponseTypes['diff.file']> {
    const [a, b] = await Promise.all([this.textOf(args.a, args.path), this.textOf(args.b, args.path)]);
    return { before: a.text, after: b.text, binary: a.binary || b.binary, truncated: a.truncated || b.truncated };
  }

  async copies(): Promise<ResponseTypes['copies.list']> {
    return this.current().report.copies;
  }

  async preview(args: StageArgs<'file.preview'>): Promise<ResponseTypes['file.preview']> {
    const meta = this.tree(args.stage).get(args.path);
    if (!meta) throw new StageScopeError('not-found', `${args.path} does not exist in this stage.`, null);
    return previewEntry(meta, async () =>
      readImageFileHead((await this.engine()).docker, this.stageImage(args.stage).imageId, args.path, TEXT_PREVIEW_LIMIT),
    );
  }

  async readFile(stage: number, path: string) {
    assertExtractable(this.tree(stage).get(path), path, 'this stage');
    const conn = await this.engine();
    const file = await openImageFile(conn.docker, this.stageImage(stage).imageId, path);
    return { stream: file.stream, size: file.size, name: file.name };
  }

  /** Writes the file to `dest`, a path the user chose (see saveFile). */
  async extract(args: StageArgs<'file.extract'>): Promise<ResponseTypes['file.extract']> {
    return saveFile(args.dest, () => this.readFile(args.stage, args.path));
  }

  async treemap(args: RequestArgs<'sizes.treemap'>): Promise<ResponseTypes['sizes.treemap']> {
    return treemap(this.tree(args.stage), args.depth ?? 3);
  }

  async check(): Promise<ResponseTypes['check.run']> {
    return checkProject(this.root, this.current(), await this.engine());
  }
}

export async function openProject(root: string, options: SessionOptions = {}): Promise<ProjectSession> {
  const abs = resolve(root);
  const info = await stat(abs).catch(() => null);
  if (!info) throw new StageScopeError('not-found', `The folder ${abs} does not exist.`, 'Check the path and try again.');
  if (!info.isDirectory()) throw new StageScopeError('usage', `${abs} is not a folder.`, 'Open the folder that holds your Dockerfile.');
  return new ProjectSession(abs, options);
}
