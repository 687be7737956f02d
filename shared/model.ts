// Plain data that crosses every boundary: engine -> CLI JSON, Electron IPC, the web host's
// WebSocket. Only JSON-safe values here (no Map, no class instances, no bigint).

// ---------------------------------------------------------------- Dockerfile model

export interface ParserDirectives {
  /** `# syntax=` value, or null when absent. */
  syntax: string | null;
  /** 1-based line of the `# syntax=` directive, or null. */
  syntaxLine: number | null;
  /** Escape character (`\` unless `# escape=` says otherwise). */
  escape: string;
}

export interface ArgDecl {
  name: string;
  defaultValue: string | null;
  line: number;
}

export interface StageBase {
  kind: 'image' | 'stage' | 'scratch';
  /** Image reference or stage name as written after expansion; null for scratch. */
  ref: string | null;
  /** Index of the earlier stage when kind is 'stage'. */
  stage?: number;
}

export interface Heredoc {
  name: string;
  content: string;
}

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ADD, ... */
  keyword: string;
  /** 1-based, inclusive. */
  line: number;
  endLine: number;
  /** The instruction as written (continuations joined with newlines). */
  text: string;
  /** Flags such as --from, --mount (repeatable ones keep every value). */
  flags: { name: string; value: string | null }[];
  heredocs: Heredoc[];
  /**
   * COPY, ADD and WORKDIR: the arguments after the flags (JSON form or words, quotes removed)
   * with ARG and ENV expanded as BuildKit does (stage ARGs, global ARGs redeclared in the stage,
   * --build-arg, ENV of the stage and of the stages it is built FROM). A heredoc source stays
   * `<<NAME`. Null for other instructions.
   */
  args: string[] | null;
}

export type EdgeSource = { kind: 'stage'; stage: number } | { kind: 'image'; ref: string };

export interface StageEdge {
  kind: 'from' | 'copy' | 'mount';
  from: EdgeSource;
  /** The stage that depends on `from`. */
  to: number;
  line: number;
  /** The reference as written, after ARG expansion (stage name, index or image). */
  ref?: string;
}

export interface Stage {
  index: number;
  /** Name as written after `AS`, or null. Lookups are case-insensitive. */
  name: string | null;
  base: StageBase;
  platform: string | null;
  /** Line of the FROM instruction and the last line of the stage (1-based). */
  line: number;
  endLine: number;
  instructions: Instruction[];
  /** Earlier stages this stage needs (FROM, COPY/ADD --from, RUN --mount from), ascending. */
  dependsOn: number[];
}

export interface DockerfileModel {
  /** Path of the Dockerfile as given to the parser. */
  path: string;
  directives: ParserDirectives;
  globalArgs: ArgDecl[];
  stages: Stage[];
  edges: StageEdge[];
  warnings: string[];
}

/** Which stages a target needs, for each builder. */
export interface TargetPlan {
  target: number;
  /** BuildKit builds the target's dependency closure only (ascending). */
  buildkit: number[];
  /** The classic builder builds every stage up to and including the target. */
  classic: number[];
}

// ---------------------------------------------------------------- Build

export type Builder = 'buildkit' | 'classic';

export interface BuildOptions {
  target?: string;
  allStages?: boolean;
  buildArgs?: Record<string, string>;
  builder?: Builder;
  /** Docker network mode for RUN; 'none' by default. */
  network?: string;
  noCache?: boolean;
}

export type VertexStatus = 'started' | 'cached' | 'completed' | 'failed';

export type BuildEvent =
  | { type: 'stage-start'; stage: number; tag: string }
  | {
      type: 'vertex';
      stage: number | null;
      id: string;
      name: string;
      line: number | null;
      status: VertexStatus;
      error?: string;
      /** ms since epoch */
      started?: number;
      completed?: number;
    }
  | { type: 'log'; stage: number | null; vertex: string | null; text: string }
  | { type: 'warning'; message: string }
  | { type: 'stage-done'; stage: number; imageId: string }
  | { type: 'stage-failed'; stage: number; failure: BuildFailure };

export interface BuildFailure {
  stage: number;
  stageName: string | null;
  /** The failing instruction as written, when it could be tied to one. */
  instruction: string | null;
  line: number | null;
  message: string;
  /** Last log lines of the failing step. */
  logs: string[];
  /** The Dockerfile lines around `line` as written (a few before and after), when known. */
  context?: { line: number; text: string }[];
}

// ---------------------------------------------------------------- Image contents

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface FileMeta {
  /** Absolute, normalized: `/bin/hello`. */
  path: string;
  type: EntryType;
  /** Content bytes for regular files (and hardlinks, resolved), 0 otherwise. */
  size: number;
  /** Permission bits and setuid/setgid/sticky (no file-type bits). */
  mode: number;
  uid: number;
  gid: number;
  /** Symlink target, or the hardlink's target path (absolute). */
  linkTarget: string | null;
  /** sha256 hex of the content, for regular files; null otherwise. */
  hash: string | null;
  /**
   * Modification time, seconds since the epoch (fractions kept when a PAX record has them).
   * `docker build` sets it from the context, so it is a real signal, but diffs ignore it unless
   * asked (`--include mtime`). Absent where unknown: entries made by hand, layer indexes pinned
   * by a StageScope that did not record it.
   */
  mtime?: number;
}

export type ChangeKind = 'added' | 'modified' | 'removed' | 'unchanged';

export interface LayerSummary {
  /** Position among the image's layers (0 = bottom). */
  index: number;
  diffId: string;
  /** Bytes of file content the layer carries. */
  size: number;
  createdBy: string;
  /** The Dockerfile line that made the layer, when known. */
  line: number | null;
  added: number;
  modified: number;
  removed: number;
}

export interface WastedPath {
  path: string;
  /** How many layers wrote this path. */
  occurrences: number;
  /** Bytes of all copies ever written. */
  totalBytes: number;
  /** totalBytes minus the copy that is kept (0 when the path was removed: then all is waste). */
  wastedBytes: number;
}

export interface Efficiency {
  /** 0..1, dive's definition: 1 - wasted / total layer bytes. */
  score: number;
  wastedBytes: number;
  paths: WastedPath[];
}

/** One row of a file tree slice, as the UI shows it. */
export interface TreeRow {
  path: string;
  name: string;
  depth: number;
  type: EntryType;
  /** Content bytes; for a directory, the sum of everything below it. */
  size: number;
  change: ChangeKind;
  childCount: number;
  mode: number;
  uid: number;
  gid: number;
  linkTarget: string | null;
  /** Rows of a diff's flat list: why it changed (modified reasons, a move's other end). */
  detail?: string;
}

/** A filtered tree's total: the entries that match and the bytes they hold. */
export interface RowMatches {
  count: number;
  bytes: number;
}

export interface DiffEntry {
  path: string;
  size: number;
  type: EntryType;
}

/** `mtime` only when the diff was asked to include timestamps. */
export type ModifyReason = 'content' | 'mode' | 'type' | 'owner' | 'link' | 'mtime';

export interface DiffModified {
  path: string;
  before: number;
  after: number;
  reasons: ModifyReason[];
}

export interface DiffResult {
  added: DiffEntry[];
  removed: DiffEntry[];
  modified: DiffModified[];
  /** Non-empty directories on one side only, outermost first: their entries are listed in
   *  added / removed, these say the folder itself appeared or vanished. */
  addedDirs?: string[];
  removedDirs?: string[];
  bytesAdded: number;
  bytesRemoved: number;
  /** A path removed and another added with the same content and type, as one entry (issue 11). */
  moved?: { from: string; to: string; size: number }[];
}

export interface CopiedFile {
  /** Path in the destination stage. */
  path: string;
  /** Path it came from in the source, when found. */
  sourcePath: string | null;
  /**
   * True when the COPY's own source path gave sourcePath. False when no source path matched it
   * (a variable StageScope cannot resolve, an unusual form): sourcePath is then only a file with
   * the same content, a guess, and is shown as "source path not resolved: matched by content".
   */
  sourceResolved: boolean;
  size: number;
  identical: boolean;
}

export interface CopyRecord {
  stage: number;
  line: number;
  instruction: string;
  from: { kind: 'stage' | 'image'; ref: string; stage?: number };
  /** The layer the COPY made in the destination stage's image, when found. */
  layer: { index: number; diffId: string } | null;
  files: CopiedFile[];
  bytes: number;
}

// ---------------------------------------------------------------- Report

export interface EngineInfo {
  version: string;
  apiVersion: string;
}

export interface StageReport {
  index: number;
  name: string | null;
  base: StageBase;
  dependsOn: number[];
  needed: boolean;
  built: boolean;
  tag: string | null;
  image: { id: string; size: number } | null;
  layers: LayerSummary[];
  fileCount: number;
  totalBytes: number;
  efficiency: Efficiency;
  failure: BuildFailure | null;
}

export interface Sizes {
  /** The target's image size; null when the target has no image (it failed or was not built). */
  final: number | null;
  largestBuilder: { stage: number; size: number } | null;
  /**
   * largestBuilder.size - final; negative when the target is larger than every stage it is built
   * from (it saved nothing); null without a builder or without a final image.
   */
  saved: number | null;
}

export interface Report {
  dockerfile: string;
  engine: EngineInfo;
  builder: Builder;
  target: string;
  targetIndex: number;
  warnings: string[];
  stages: StageReport[];
  copies: CopyRecord[];
  sizes: Sizes;
  /** When the analysis finished (ms since epoch): "image from the build at 10:42". */
  builtAt?: number;
}

/** `stagescope inspect`: the same layer and tree analysis for any image or saved archive. */
/** One image analyzed outside a project: what `inspect` prints and the UI's opened image shows. */
export interface ImageSummary {
  repoTags: string[];
  layers: LayerSummary[];
  fileCount: number;
  totalBytes: number;
  efficiency: Efficiency;
}

export interface ImageReport extends ImageSummary {
  id: string;
  /** Sum of the layers' content bytes. */
  size: number;
}

export interface InspectReport {
  source: string;
  images: ImageReport[];
}
