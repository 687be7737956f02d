// The one contract between the renderer and the engine. Both transports (Electron IPC and the
// browser host's WebSocket) carry exactly these requests and events; handlers are written once
// (electron/core/api/) and registered by each transport. Arguments are validated with the zod
// schemas below on the engine side before a handler runs: the renderer is not trusted.
import { z } from 'zod';
import type {
  BuildEvent,
  CopyRecord,
  DockerfileModel,
  EngineInfo,
  FileMeta,
  ImageSummary,
  Report,
  RowMatches,
  TargetPlan,
  TreeRow,
} from './model.ts';
import type { SerializedError } from './errors.ts';
import type { CheckReport } from './check.ts';
import type { CompareReport, SnapshotSummary, WhyReport } from './history.ts';

const stageIndex = z.number().int().min(0).max(100_000);
const imagePath = z.string().min(1).max(4096).startsWith('/');
const buildArgs = z.record(z.string().max(256), z.string().max(65_536));
/** `last` or a snapshot id (never a file path: the renderer does not choose files to read). */
const snapshotRef = z.union([z.literal('last'), z.string().regex(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/)]);
const ignoreList = z.array(z.enum(['owner', 'mode', 'link'])).max(3);
/** What diffs hide by default and show on request: file modification times. */
const includeList = z.array(z.enum(['mtime'])).max(1);
/** An image opened by reference ('image.open'): its handle. It stands beside the project's
 *  stages wherever a stage can: its tree, a file preview or extract, either side of a diff. */
const imageHandle = z.string().regex(/^[0-9a-f]{12}$/);
const imageSide = z.object({ image: imageHandle }).strict();
const diffSource = z.union([z.object({ stage: stageIndex, snapshot: snapshotRef.optional() }).strict(), imageSide]);
/** Two sides of a diff, each a stage now, a stage of a snapshot or an opened image, and what the diff hides. */
const diffPair = { a: diffSource, b: diffSource, ignore: ignoreList.optional(), include: includeList.optional() };
const expandedDirs = z.union([z.literal('all'), z.array(imagePath).max(100_000)]);
/** A tree.rows query, of a stage or of an opened image. */
const treeQuery = {
  layer: z.number().int().min(0).max(10_000).nullable(),
  /** With a layer: its own entries ('layer', the default) or the image up to it ('upto'). */
  view: z.enum(['layer', 'upto']).optional(),
  expanded: z.union([z.literal('all'), z.array(imagePath).max(100_000)]),
  filter: z.string().max(1024).optional(),
  sort: z.enum(['name', 'size']).optional(),
  onlyChanged: z.boolean().optional(),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
};
const rowPage = {
  filter: z.string().max(1024).optional(),
  sort: z.enum(['name', 'size']).optional(),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
};

export const requestSchemas = {
  /** Is the engine reachable? Never throws: reports the error as data. */
  'engine.status': z.object({}).strict(),
  /** Open a project folder: list the Dockerfiles found in it. */
  'project.open': z.object({ path: z.string().min(1).max(4096) }).strict(),
  /** Ask the user for a folder (native picker in Electron; refused with 'usage' in the browser) and open it; null when cancelled. */
  'project.choose': z.object({}).strict(),
  /** Folder completion for a typed path: the sub-folders of `prefix`'s folder whose name starts
   *  with its last part (all of them after a trailing `/`). Only folders, at most 50. */
  'folder.complete': z.object({ prefix: z.string().min(1).max(4096) }).strict(),
  /** The recently opened project folders (desktop app; the browser host returns its one). */
  'project.recent': z.object({}).strict(),
  /** Parse a Dockerfile of the open project (path relative to the project root). */
  'dockerfile.parse': z
    .object({ dockerfile: z.string().min(1).max(4096), target: z.string().max(256).optional(), buildArgs: buildArgs.optional() })
    .strict(),
  /** Build the stages and analyze them; progress arrives as 'build.event', the end as 'build.done'. */
  'build.start': z
    .object({
      dockerfile: z.string().min(1).max(4096),
      target: z.string().max(256).optional(),
      allStages: z.boolean().optional(),
      buildArgs: buildArgs.optional(),
      builder: z.enum(['buildkit', 'classic']).optional(),
      noCache: z.boolean().optional(),
    })
    .strict(),
  'build.cancel': z.object({ buildId: z.string().min(1).max(64) }).strict(),
  /** The last report of the open project, or null. */
  'report.get': z.object({}).strict(),
  /** The open project's last build (running or finished, this session or an earlier one), or null. */
  'build.last': z.object({}).strict(),
  /** Visible rows of a stage's (or an opened image's) file tree: aggregated, or one layer's own changes. */
  'tree.rows': z.union([z.object({ stage: stageIndex, ...treeQuery }).strict(), z.object({ image: imageHandle, ...treeQuery }).strict()]),
  /** A diff's counts, byte totals and first moves (the changes themselves come as diff.rows). */
  'diff.summary': z.object(diffPair).strict(),
  /** Visible rows of a diff: the changed-files tree (signed size deltas, change marks) or, with
   *  `list`, the flat list of changed paths; `show` keeps one kind of change. */
  'diff.rows': z
    .object({
      ...diffPair,
      show: z.enum(['all', 'added', 'removed', 'modified']).optional(),
      list: z.boolean().optional(),
      expanded: expandedDirs,
      ...rowPage,
    })
    .strict(),
  /** Both sides of a modified text file (each at most 1 MiB), for a side-by-side diff. */
  'diff.file': z.object({ a: z.union([stageIndex, imageSide]), b: z.union([stageIndex, imageSide]), path: imagePath }).strict(),
  'copies.list': z.object({}).strict(),
  'file.preview': z.union([
    z.object({ stage: stageIndex, path: imagePath }).strict(),
    z.object({ image: imageHandle, path: imagePath }).strict(),
  ]),
  /** Write one file of a stage to a path the user chooses. In Electron `dest` is only the suggested
   *  file name: main shows a save dialog and writes where the user chose ('cancelled' if they
   *  close it). The browser host refuses it: the renderer downloads `/download?stage=&path=`. */
  'file.extract': z.union([
    z.object({ stage: stageIndex, path: imagePath, dest: z.string().min(1).max(4096) }).strict(),
    z.object({ image: imageHandle, path: imagePath, dest: z.string().min(1).max(4096) }).strict(),
  ]),
  /** The final (or any) stage by directory, depth-limited, for the treemap. */
  'sizes.treemap': z.object({ stage: stageIndex, depth: z.number().int().min(1).max(8).optional() }).strict(),
  /** `stagescope check` on the last analysis: the project's .stagescope.yml, or the defaults. */
  'check.run': z.object({}).strict(),
  // ---- build-over-build history and lineage (issue 11)
  /** The snapshots of the analyzed Dockerfile, newest first. */
  'history.list': z.object({}).strict(),
  /** The current analysis against a snapshot ('last': the one before it). */
  'history.compare': z
    .object({ baseline: snapshotRef.optional(), ignore: ignoreList.optional(), include: includeList.optional() })
    .strict(),
  /** The history of one path in a stage, origin first, through COPY --from. */
  'lineage.why': z.object({ stage: stageIndex, path: imagePath }).strict(),
  /** Image sources (core/source): the platforms a reference's index offers ([] for one image). */
  'image.platforms': z.object({ ref: z.string().min(1).max(4096) }).strict(),
  /** Open an image by reference (engine name, archive, oci:DIR, oci-archive:FILE, registry:…); its
   *  handle then goes where a stage index goes: tree.rows, file.*, diff.* ({ image: id }). */
  'image.open': z.object({ ref: z.string().min(1).max(4096), platform: z.string().max(64).optional() }).strict(),
  /** The docker contexts (`docker context ls`) and the one in use. */
  'engine.contexts': z.object({}).strict(),
  /** Use another context for this app session (null: back to DOCKER_HOST / the current context). */
  'engine.use': z.object({ context: z.string().min(1).max(256).nullable() }).strict(),
} as const;

export type RequestName = keyof typeof requestSchemas;
export type RequestArgs<K extends RequestName> = z.infer<(typeof requestSchemas)[K]>;
/** A request about a stage (what the project session answers), without its opened-image form. */
export type StageArgs<K extends 'tree.rows' | 'file.preview' | 'file.extract'> = Extract<RequestArgs<K>, { stage: number }>;
/** One side of a diff: a stage (now or of a snapshot) or an opened image. */
export type DiffSide = RequestArgs<'diff.summary'>['a'];

export type EngineStatus =
  | { ok: true; info: EngineInfo; host: string; context?: string | null }
  | { ok: false; host: string; error: SerializedError; context?: string | null };

/** An image opened by reference ('image.open'). */
export interface OpenedImageInfo extends ImageSummary {
  /** Handle for later requests: `{ image: id }` in tree.rows, file.*, diff.*. */
  id: string;
  label: string;
  imageId: string;
  platform: string | null;
  /** Read from the engine. Files of every opened image can be previewed and extracted: an engine
   *  image's through the engine, the others' from their layer in the source they were opened from. */
  inEngine: boolean;
}

export interface ProjectInfo {
  root: string;
  /** Paths relative to root, `/`-separated. */
  dockerfiles: string[];
}

export interface FilePreview {
  meta: FileMeta;
  kind: 'text' | 'binary' | 'symlink' | 'directory' | 'special';
  /** UTF-8 text (first 1 MiB) or hex dump lines (first 64 KiB) of binary content. */
  text: string | null;
  truncated: boolean;
  /** Why the content could not be read (an opened image that is not in the engine): the
   *  metadata above is still true. */
  unavailable?: string;
}

/** One build as the engine recorded it: enough to show its steps, log and warnings again after
 *  a reload or a restart. Log events beyond a bound are dropped, oldest first. */
export interface BuildRecord {
  buildId: string;
  /** As the renderer asked for it: relative to the project root. */
  dockerfile: string;
  target: string | null;
  /** ms since epoch */
  startedAt: number;
  finishedAt: number | null;
  /** null while it runs; 'error' when it stopped on something other than a build step. */
  outcome: 'succeeded' | 'failed' | 'cancelled' | 'error' | null;
  error: SerializedError | null;
  events: BuildEvent[];
}

export interface TreemapNode {
  name: string;
  path: string;
  size: number;
  /** A folder (cut at the depth asked for, it may have no children listed). */
  dir?: boolean;
  children?: TreemapNode[];
}

/** A diff without its changes: what the totals line and the "Moved" list show. */
export interface DiffSummary {
  counts: { added: number; removed: number; modified: number; moved: number };
  /** Byte sums per kind, each matching its count (bytesAdded also holds modified growth). */
  totals: { added: number; removed: number; modified: number };
  bytesAdded: number;
  bytesRemoved: number;
  /** The first moves (at most 500); every moved path is also in the rows. */
  moved: { from: string; to: string; size: number }[];
}

export interface ResponseTypes {
  'engine.status': EngineStatus;
  'project.open': ProjectInfo;
  'project.choose': ProjectInfo | null;
  'project.recent': string[];
  'folder.complete': { folders: string[]; truncated: boolean };
  'dockerfile.parse': { model: DockerfileModel; plan: TargetPlan };
  'build.start': { buildId: string };
  'build.cancel': { cancelled: boolean };
  'report.get': Report | null;
  'build.last': BuildRecord | null;
  'tree.rows': { rows: TreeRow[]; total: number; matches?: RowMatches };
  'diff.summary': DiffSummary;
  'diff.rows': { rows: TreeRow[]; total: number; matches?: RowMatches };
  'diff.file': { before: string | null; after: string | null; binary: boolean; truncated: boolean };
  'copies.list': CopyRecord[];
  'file.preview': FilePreview;
  'file.extract': { path: string; bytes: number };
  'sizes.treemap': TreemapNode;
  'check.run': CheckReport;
  'history.list': SnapshotSummary[];
  'history.compare': CompareReport;
  'lineage.why': WhyReport;
  'image.platforms': string[];
  'image.open': OpenedImageInfo;
  'engine.contexts': { current: string; contexts: { name: string; host: string }[] };
  'engine.use': EngineStatus;
}

export interface EventTypes {
  /** A project was opened from outside the renderer (Electron's File menu, `serve <folder>`). */
  'project.opened': ProjectInfo;
  'build.event': { buildId: string; event: BuildEvent };
  'build.phase': { buildId: string; phase: 'context' | 'build' | 'export' | 'analyze'; stage?: number; bytes?: number };
  'build.done': { buildId: string; report: Report | null; error: SerializedError | null };
}
export type EventName = keyof EventTypes;

/** What the renderer sees as `window.stagescope` (Electron preload) or the WebSocket client. */
export interface StageScopeApi {
  request<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<ResponseTypes[K]>;
  on<E extends EventName>(name: E, listener: (payload: EventTypes[E]) => void): () => void;
  /** Which host the renderer runs in: the desktop app has native dialogs, the browser downloads. */
  readonly host: 'electron' | 'browser';
}

/** What Electron's preload exposes as `window.stagescope`: the raw wire, because contextBridge
 *  strips an Error's own properties (code, hint). renderer/src/bridge wraps it into a
 *  StageScopeApi and rebuilds errors with deserializeError, as it does for the WebSocket. */
export interface StageScopeWire {
  request(name: RequestName, args: unknown): Promise<WireResponse>;
  on(name: EventName, listener: (payload: unknown) => void): () => void;
  readonly host: 'electron';
}

/** The wire format of both transports. */
export type WireResponse<T = unknown> = { ok: true; result: T } | { ok: false; error: SerializedError };
