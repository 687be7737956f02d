// The app's state in one runes class: what is open, what is selected, the latest report and
// the errors to show in place. Views read it and call its methods; only this class talks to
// the API for project-level actions, so every view sees the same truth.
import type { EngineStatus, EventTypes, OpenedImageInfo, ProjectInfo, StageScopeApi } from '../../../shared/api.ts';
import type { Builder, DockerfileModel, Report, TargetPlan } from '../../../shared/model.ts';
import { deserializeError, type SerializedError } from '../../../shared/errors.ts';
import { defaultDockerfile } from '../../../shared/dockerfiles.ts';
import { plannedStages } from '../../../shared/plan.ts';
import { BuildProgress } from './build.svelte.ts';
import { ChecksState } from './checks.svelte.ts';
import { formatBytes, stageLabel } from '../lib/format.ts';
import type { Side } from './side.ts';

export type { Side } from './side.ts';

/** How often an unreachable engine is checked again. */
export const ENGINE_RETRY_MS = 5000;

export type Tab = 'build' | 'stage' | 'diff' | 'copies' | 'sizes' | 'checks';
export type ErrorArea = 'engine' | 'project' | 'dockerfile' | 'build' | 'analysis';

export interface ArgRow {
  key: string;
  value: string;
}

/** A file of a stage or of an opened image. */
export type FileRef = ({ stage: number } | { image: string }) & { path: string };

/** Opened images the app lists; the engine keeps as many (OpenedImages' KEEP). */
const MAX_IMAGES = 4;

export class AppState {
  readonly api: StageScopeApi;
  engine = $state.raw<EngineStatus | null>(null);
  recent = $state.raw<string[]>([]);
  project = $state.raw<ProjectInfo | null>(null);
  dockerfile = $state<string | null>(null);
  model = $state.raw<DockerfileModel | null>(null);
  plan = $state.raw<TargetPlan | null>(null);
  /** Target stage name or index as text; '' means the last stage. */
  target = $state('');
  buildArgs = $state<ArgRow[]>([]);
  builder = $state<Builder>('buildkit');
  allStages = $state(false);
  report = $state.raw<Report | null>(null);
  selectedStage = $state<number | null>(null);
  /** null = the aggregated tree; a number = one layer's own changes. */
  selectedLayer = $state<number | null>(null);
  diffA = $state<Side | null>(null);
  diffB = $state<Side | null>(null);
  /** Images opened by reference, newest first: listed beside the stages, shown and diffed like them. */
  images = $state.raw<OpenedImageInfo[]>([]);
  /** The opened image the Stage view shows (instead of selectedStage). */
  selectedImage = $state<string | null>(null);
  /** The "Open image…" form is showing (in the header, or the welcome view). */
  imageForm = $state(false);
  tab = $state<Tab>('build');
  preview = $state<FileRef | null>(null);
  /** A path a view asked the stage tree to show (COPY --from click); nonce re-triggers. */
  reveal = $state<{ stage: number; path: string; nonce: number } | null>(null);
  errors = $state.raw<Partial<Record<ErrorArea, unknown>>>({});
  /** init() is done: before that the welcome view waits (a reload reopens the project first). */
  started = $state(false);
  /** Bumped by showFailure(): the Build view scrolls to the failure card and focuses it. */
  failureFocus = $state(0);
  readonly build = new BuildProgress();
  /** `stagescope check` results of the current report (the Checks view, graph badges). */
  readonly checks = new ChecksState();
  private unsubscribe: (() => void)[] = [];
  private engineRetry: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  /** Opens and parses can overlap (a reload reopening while the user opens another folder):
   *  only the latest one may write its results. */
  private openSeq = 0;
  private parseSeq = 0;

  constructor(api: StageScopeApi) {
    this.api = api;
    this.unsubscribe.push(
      api.on('build.event', (p) => this.isCurrent(p.buildId) && this.build.apply(p.event)),
      api.on('build.phase', (p) => {
        if (this.isCurrent(p.buildId)) this.build.phase = this.describePhase(p);
      }),
      api.on('build.done', (p) => this.isCurrent(p.buildId) && this.finishBuild(p.report, p.error)),
      api.on('project.opened', (info) => void this.applyProject(info)),
    );
  }

  dispose(): void {
    this.disposed = true;
    if (this.engineRetry) clearTimeout(this.engineRetry);
    for (const off of this.unsubscribe) off();
  }

  /** Nothing to inspect yet: no project, or a folder without a Dockerfile (WelcomeView shows),
   *  and no opened image (an image needs no project). */
  get welcome(): boolean {
    return (!this.project || this.project.dockerfiles.length === 0) && this.images.length === 0;
  }

  /** The stage names and indexes the graph and selects show, from the report or the parse. */
  get stages(): { index: number; name: string | null }[] {
    return this.report?.stages ?? this.model?.stages ?? [];
  }

  label(index: number): string {
    const s = this.stages[index];
    return s ? stageLabel(s) : `stage-${index}`;
  }

  /** A stage's label, or an opened image's reference (and platform). */
  sideLabel(side: Side): string {
    if (typeof side === 'number') return this.label(side);
    const img = this.images.find((i) => i.id === side);
    return img ? imageLabel(img) : 'an image no longer open';
  }

  setError(area: ErrorArea, err: unknown): void {
    this.errors = { ...this.errors, [area]: err };
  }

  clearError(area: ErrorArea): void {
    if (!(area in this.errors)) return;
    const { [area]: _gone, ...rest } = this.errors;
    this.errors = rest;
  }

  async init(): Promise<void> {
    try {
      await this.checkEngine();
      try {
        this.recent = await this.api.request('project.recent', {});
      } catch {
        this.recent = [];
      }
      // The browser host has one session: its newest recent folder is the one open there (the
      // folder it was started on, or the last one opened). Reopen it, as a reload should.
      // (It may also announce it with 'project.opened'; whichever comes first wins.)
      if (this.api.host === 'browser' && this.recent.length > 0 && !this.project) await this.openProject(this.recent[0]);
    } finally {
      this.started = true;
    }
  }

  async checkEngine(): Promise<void> {
    if (this.engineRetry) clearTimeout(this.engineRetry);
    this.engineRetry = null;
    let ok = false;
    try {
      const status = await this.api.request('engine.status', {});
      this.engine = status;
      ok = status.ok;
      if (status.ok) this.clearError('engine');
      else this.setError('engine', deserializeError(status.error));
    } catch (err) {
      this.setError('engine', err);
    }
    // While the engine is away, look again now and then: it often comes back by itself.
    if (!ok && !this.disposed) this.engineRetry = setTimeout(() => void this.checkEngine(), ENGINE_RETRY_MS);
  }

  async openProject(path: string): Promise<void> {
    const seq = ++this.openSeq;
    let info: ProjectInfo;
    try {
      info = await this.api.request('project.open', { path });
    } catch (err) {
      if (seq === this.openSeq) this.setError('project', err);
      return;
    }
    if (seq === this.openSeq) await this.applyProject(info);
  }

  /** Electron's native folder picker (the browser host has none). */
  async chooseProject(): Promise<void> {
    try {
      const info = await this.api.request('project.choose', {});
      if (info) await this.applyProject(info);
    } catch (err) {
      this.setError('project', err);
    }
  }

  /** A project is open (by us, the File menu or `serve <folder>`): pick its Dockerfile, load its report. */
  async applyProject(info: ProjectInfo): Promise<void> {
    const seq = ++this.openSeq;
    if (this.project?.root === info.root && this.dockerfile) {
      this.project = info;
      return;
    }
    // Nothing of the previous project may stay on screen: its steps, log and badges included
    // (a build of it still running goes on in the engine, its events no longer shown here).
    if (this.project?.root !== info.root) {
      this.build.clear();
      // Build args and "all stages" belong to the project they were set for.
      if (this.project) {
        this.buildArgs = [];
        this.allStages = false;
      }
    }
    this.project = info;
    // The engine put it first in its recent list; keep ours the same without asking again.
    this.recent = [info.root, ...this.recent.filter((r) => r !== info.root)];
    this.clearError('project');
    this.clearError('build');
    this.clearError('analysis');
    this.dockerfile = null;
    this.model = null;
    this.plan = null;
    this.report = null;
    this.checks.clear();
    this.selectedStage = null;
    this.diffA = this.diffB = null;
    this.preview = null;
    // Opened images are not the project's: they stay, and so does an image shown.
    if (this.images.length) this.diffB = this.images[0].id;
    const files = info.dockerfiles;
    const pick = defaultDockerfile(files);
    if (pick) await this.selectDockerfile(pick);
    if (seq === this.openSeq) await this.loadLastReport();
    if (seq === this.openSeq) await this.loadLastBuild();
  }

  /** The project's last build as the engine recorded it (steps, log, warnings), shown as an
   *  earlier build with its time; a build still running goes on live. */
  async loadLastBuild(): Promise<void> {
    const seq = this.openSeq;
    let record;
    try {
      record = await this.api.request('build.last', {});
    } catch {
      return; // an older engine without build.last: nothing to show, nothing broken
    }
    if (!record || seq !== this.openSeq || this.build.running) return;
    this.build.restore(record, this.report);
  }

  async selectDockerfile(path: string): Promise<void> {
    this.dockerfile = path;
    this.target = '';
    this.model = null;
    this.plan = null;
    await this.parse();
  }

  buildArgsRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const row of this.buildArgs) if (row.key.trim()) out[row.key.trim()] = row.value;
    return out;
  }

  async parse(): Promise<void> {
    if (!this.dockerfile) return;
    const seq = ++this.parseSeq;
    try {
      const { model, plan } = await this.api.request('dockerfile.parse', {
        dockerfile: this.dockerfile,
        target: this.target || undefined,
        buildArgs: this.buildArgsRecord(),
      });
      if (seq !== this.parseSeq) return;
      this.model = model;
      this.plan = plan;
      this.clearError('dockerfile');
    } catch (err) {
      if (seq === this.parseSeq) this.setError('dockerfile', err);
    }
  }

  async loadLastReport(): Promise<void> {
    const seq = this.openSeq;
    try {
      const report = await this.api.request('report.get', {});
      if (!report || seq !== this.openSeq) return;
      const root = this.project?.root;
      if (root && report.dockerfile.startsWith('/') && !report.dockerfile.startsWith(root.replace(/\/$/, '') + '/')) return;
      // The report names its Dockerfile as the engine parsed it (possibly absolute).
      const rel = bestDockerfile(report.dockerfile, this.project?.dockerfiles ?? []);
      if (this.dockerfile && rel !== this.dockerfile) return;
      if (!this.dockerfile && rel) await this.selectDockerfile(rel);
      this.setReport(report);
    } catch (err) {
      this.setError('analysis', err);
    }
  }

  /** Stages a build is expected to touch, so the graph and Build tab show them as queued. */
  plannedStages(): number[] {
    if (!this.model || !this.plan) return [];
    return plannedStages(this.model, this.plan, { allStages: this.allStages, builder: this.builder });
  }

  async startBuild(): Promise<void> {
    if (!this.dockerfile || this.build.running) return;
    this.clearError('build');
    this.clearError('analysis');
    this.build.reset(this.plannedStages());
    this.tab = 'build';
    try {
      const { buildId } = await this.api.request('build.start', {
        dockerfile: this.dockerfile,
        target: this.target || undefined,
        allStages: this.allStages,
        buildArgs: this.buildArgsRecord(),
        builder: this.builder,
      });
      // build.done may already have arrived while we waited for the id.
      if (this.build.running) this.build.buildId = buildId;
    } catch (err) {
      this.build.running = false;
      this.build.settle(this.report);
      this.setError('build', err);
    }
  }

  async cancelBuild(): Promise<void> {
    if (!this.build.buildId) return;
    try {
      await this.api.request('build.cancel', { buildId: this.build.buildId });
    } catch (err) {
      this.setError('build', err);
    }
  }

  private describePhase(p: EventTypes['build.phase']): string {
    const what = { context: 'sending the build context', build: 'building', export: 'exporting', analyze: 'analyzing' }[p.phase];
    const stage = p.stage !== undefined ? ` ${this.label(p.stage)}` : '';
    const bytes = p.bytes !== undefined ? ` (${formatBytes(p.bytes)})` : '';
    return `${what}${stage}${bytes}`;
  }

  /** Events are accepted while the build id is still unknown: they can beat build.start's reply. */
  private isCurrent(buildId: string): boolean {
    return this.build.running && (this.build.buildId === null || this.build.buildId === buildId);
  }

  private finishBuild(report: Report | null, error: SerializedError | null): void {
    const failed = this.build.failures.length > 0 || (report?.stages.some((s) => s.failure) ?? false);
    const err = error ? deserializeError(error) : null;
    this.build.end(err ? (err.code === 'cancelled' ? 'cancelled' : 'failed') : failed ? 'failed' : 'succeeded');
    if (report) this.setReport(report);
    this.build.settle(report ?? this.report);
    // A cancel is the user's own act: the Build view says so, calmly; no error banner.
    if (err && err.code !== 'cancelled') this.setError(err.code === 'build' || !report ? 'build' : 'analysis', err);
  }

  /** The "show the failure" link of every view: the Build tab, its failure card in view. */
  showFailure(): void {
    this.tab = 'build';
    this.failureFocus++;
  }

  setReport(report: Report): void {
    this.report = report;
    void this.checks.refresh(this.api);
    this.build.settle(report);
    const built = report.stages.filter((s) => s.built).map((s) => s.index);
    if (this.selectedImage === null && (this.selectedStage === null || !built.includes(this.selectedStage))) {
      this.selectedStage = built.includes(report.targetIndex) ? report.targetIndex : (built.at(-1) ?? null);
    }
    this.selectedLayer = null;
    const target = built.includes(report.targetIndex) ? report.targetIndex : built[built.length - 1];
    if (this.diffA === null && this.diffB !== null && built.length) this.diffA = target;
    if (this.diffA === null && built.length >= 2) {
      this.diffA = built[0];
      this.diffB = target;
    }
  }

  selectStage(index: number): void {
    this.selectedStage = index;
    this.selectedImage = null;
    this.selectedLayer = null;
    this.preview = null;
  }

  selectImage(id: string): void {
    this.selectedImage = id;
    this.selectedStage = null;
    this.selectedLayer = null;
    this.preview = null;
  }

  /** An image was opened ("Open image…"): listed first, shown in the Stage view, and the Diff's
   *  "to" side (its "from" the previous "to" side, else the target stage or the image before). */
  addImage(info: OpenedImageInfo): void {
    const kept = this.images.filter((i) => i.id !== info.id).slice(0, MAX_IMAGES - 1);
    const gone = this.images.filter((i) => !kept.includes(i)).map((i) => i.id);
    this.images = [info, ...kept];
    for (const id of gone) this.forgetImage(id);
    this.imageForm = false;
    const built = (this.report?.stages ?? []).filter((s) => s.built).map((s) => s.index);
    const from = built.includes(this.report?.targetIndex ?? -1) ? this.report!.targetIndex : (built.at(-1) ?? kept[0]?.id ?? null);
    // The image against what was the "to" side (a stage, or the image before).
    this.diffA = this.diffB ?? from;
    this.diffB = info.id;
    this.selectImage(info.id);
    this.tab = 'stage';
  }

  /** Close an opened image: it leaves the list, the Stage view and the Diff sides. */
  closeImage(id: string): void {
    this.images = this.images.filter((i) => i.id !== id);
    this.forgetImage(id);
  }

  private forgetImage(id: string): void {
    if (this.selectedImage === id) {
      this.selectedImage = null;
      this.preview = null;
      const built = (this.report?.stages ?? []).filter((s) => s.built).map((s) => s.index);
      this.selectedStage = built.includes(this.report?.targetIndex ?? -1) ? this.report!.targetIndex : (built.at(-1) ?? null);
    }
    if (this.diffA === id) this.diffA = null;
    if (this.diffB === id) this.diffB = null;
  }

  /**
   * A click on a stage or an opened image (graph or lists): opens it in the Stage tab, except in
   * Diff, where it sets the "to" side (`from`: the "from" side); picking the other side's swaps them.
   */
  openStage(index: Side, from = false): void {
    if (this.tab !== 'diff') {
      // The same stage again keeps its layer and preview.
      if (typeof index === 'string') {
        if (this.selectedImage !== index) this.selectImage(index);
      } else if (this.selectedStage !== index || this.selectedImage !== null) this.selectStage(index);
      this.tab = 'stage';
      return;
    }
    const [mine, other] = from ? (['diffA', 'diffB'] as const) : (['diffB', 'diffA'] as const);
    if (this[other] === index) this[other] = this[mine];
    this[mine] = index;
  }

  /** Show a file in a stage's tree (and open its preview): used by COPY --from. */
  revealFile(stage: number, path: string): void {
    this.selectStage(stage);
    this.reveal = { stage, path, nonce: (this.reveal?.nonce ?? 0) + 1 };
    this.preview = { stage, path };
    this.tab = 'stage';
  }
}

/** An opened image as the lists and pickers name it: its reference, and platform if chosen. */
export function imageLabel(img: OpenedImageInfo): string {
  return img.platform ? `${img.label} (${img.platform})` : img.label;
}

/** Does a report's Dockerfile path (relative or absolute) name this project-relative one? */
export function sameDockerfile(reportPath: string, relative: string): boolean {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/^\.\//, '');
  const a = norm(reportPath);
  const b = norm(relative);
  return a === b || a.endsWith('/' + b);
}

/** The project Dockerfile a report is about: the longest relative path that matches. */
export function bestDockerfile(reportPath: string, dockerfiles: string[]): string | null {
  const matches = dockerfiles.filter((f) => sameDockerfile(reportPath, f)).sort((a, b) => b.length - a.length);
  return matches[0] ?? null;
}
