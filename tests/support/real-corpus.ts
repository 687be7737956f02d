// The corpus of real-world Dockerfiles (tests/fixtures/real/*, each README cites its source) and
// the independent references a test checks StageScope against: the engine's own stage list
// (`docker buildx build --print=targets`) and plain `docker build`s of the same targets, read
// back with `docker save`.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DockerfileModel } from '../../shared/model.ts';
import type { FileTree } from '../../electron/core/image/tree.ts';
import type { SavedEntry } from './save-list.ts';

const run = promisify(execFile);

export const REAL_FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/real');

export interface RealFixture {
  /** Folder under tests/fixtures/real. */
  name: string;
  /** The Dockerfile, relative to the fixture folder (default `Dockerfile`). */
  dockerfile?: string;
  /** The build context, relative to the fixture folder (default `.`). */
  context?: string;
}

export function realPaths(f: RealFixture): { dockerfile: string; context: string } {
  const root = join(REAL_FIXTURES_DIR, f.name);
  return { dockerfile: join(root, f.dockerfile ?? 'Dockerfile'), context: resolve(root, f.context ?? '.') };
}

const SYNTAX = /^#\s*syntax\s*=.*$/im;

/**
 * The docker CLI's view of a fixture: a copy of its Dockerfile without the `# syntax` line
 * (offline, BuildKit cannot fetch the frontend) in a temporary folder *outside* the context,
 * passed with `-f`. The CLI then uploads it under a generated name that COPY never sees, so the
 * context is byte for byte the fixture folder StageScope reads. `upToLine` cuts the file after
 * that line: the way to build an unnamed intermediate stage, which `--target` cannot name.
 */
export class CliView {
  private constructor(
    readonly dir: string,
    readonly context: string,
    private readonly text: string,
  ) {}

  static async create(f: RealFixture): Promise<CliView> {
    const { dockerfile, context } = realPaths(f);
    return CliView.forPaths(dockerfile, context, f.name);
  }

  static async forPaths(dockerfile: string, context: string, label: string): Promise<CliView> {
    const text = (await readFile(dockerfile, 'utf8')).replace(SYNTAX, '# (syntax directive removed for an offline build)');
    const dir = await mkdtemp(join(tmpdir(), `stagescope-real-${label}-`));
    return new CliView(dir, context, text);
  }

  async dockerfile(upToLine?: number): Promise<string> {
    const name = upToLine === undefined ? 'Dockerfile' : `Dockerfile.upto-${upToLine}`;
    const path = join(this.dir, name);
    const text = upToLine === undefined ? this.text : this.text.split('\n').slice(0, upToLine).join('\n') + '\n';
    await writeFile(path, text);
    return path;
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

function buildArgFlags(args: Record<string, string> = {}): string[] {
  return Object.entries(args).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
}

export interface PrintedTarget {
  /** '' for an unnamed stage. */
  name: string;
  isDefault: boolean;
}

/**
 * The engine's own list of the stages, in file order. `--output type=cacheonly` keeps the
 * docker driver from writing an empty image for the subrequest.
 */
export async function printTargets(view: CliView, buildArgs?: Record<string, string>): Promise<PrintedTarget[]> {
  const args = [
    'buildx',
    'build',
    '--print=targets',
    '--output',
    'type=cacheonly',
    '-f',
    await view.dockerfile(),
    ...buildArgFlags(buildArgs),
    view.context,
  ];
  const { stdout } = await run('docker', args, { env: { ...process.env, BUILDX_EXPERIMENTAL: '1' }, maxBuffer: 4 * 1024 * 1024 });
  const lines = stdout.split('\n').filter((l) => l.length > 0);
  const header = lines.findIndex((l) => /^TARGET\s+DESCRIPTION/.test(l));
  if (header < 0) throw new Error(`docker buildx --print=targets printed no table:\n${stdout}`);
  const descriptionAt = lines[header].indexOf('DESCRIPTION');
  return lines.slice(header + 1).map((l) => {
    const field = l.slice(0, descriptionAt).trim();
    const isDefault = field.endsWith('(default)');
    return { name: field.replace(/\s*\(default\)$/, ''), isDefault };
  });
}

/** StageScope's stage list in the same shape. */
export function modelTargets(model: DockerfileModel): PrintedTarget[] {
  return model.stages.map((s, i) => ({ name: (s.name ?? '').toLowerCase(), isDefault: i === model.stages.length - 1 }));
}

export interface CliStageBuild {
  stage: number;
  tag: string;
  /** The build's plain progress, for counting cache hits. */
  progress: string;
}

/**
 * `docker build` of one stage, as a user would: `--target NAME`, no target for the last stage,
 * and for an unnamed earlier stage the file cut after it.
 */
export async function buildStageWithCli(
  view: CliView,
  model: DockerfileModel,
  stage: number,
  tag: string,
  buildArgs?: Record<string, string>,
): Promise<CliStageBuild> {
  const s = model.stages[stage];
  const last = stage === model.stages.length - 1;
  const dockerfile = s.name === null && !last ? await view.dockerfile(s.endLine) : await view.dockerfile();
  const args = ['build', '--network', 'none', '--progress', 'plain', '-t', tag, '-f', dockerfile, ...buildArgFlags(buildArgs)];
  if (s.name !== null && !last) args.push('--target', s.name);
  args.push(view.context);
  const { stderr } = await run('docker', args, { env: { ...process.env, DOCKER_BUILDKIT: '1' }, maxBuffer: 32 * 1024 * 1024 });
  return { stage, tag, progress: stderr };
}

/** Steps of a `--progress plain` build: how many ran and how many were cache hits. */
export function cacheStats(progress: string): { steps: number; cached: number; ran: string[] } {
  const steps = new Map<string, { name: string; cached: boolean }>();
  for (const line of progress.split('\n')) {
    // Build steps only: a FROM vertex loads the base image, it is never reported CACHED.
    const m = /^#(\d+) (\[[^\]]*\d+\/\d+\] (?!FROM ).*)$/.exec(line);
    if (m && !steps.has(m[1])) steps.set(m[1], { name: m[2], cached: false });
    const c = /^#(\d+) CACHED$/.exec(line);
    if (c && steps.has(c[1])) steps.get(c[1])!.cached = true;
  }
  const all = [...steps.values()];
  return { steps: all.length, cached: all.filter((s) => s.cached).length, ran: all.filter((s) => !s.cached).map((s) => s.name) };
}

export interface ComparableFile {
  path: string;
  type: string;
  size: number;
  mode: string;
  linkTarget: string | null;
}

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

/** A hard link is its target's content under a second name: both sides list it as that file. */
export function comparableFromSave(entries: readonly SavedEntry[]): ComparableFile[] {
  const files = new Map(entries.map((e) => [e.path, e]));
  return entries.map((e) => {
    const target = e.type === 'hardlink' && e.linkTarget ? files.get(e.linkTarget) : undefined;
    const type = e.type === 'hardlink' ? 'file' : e.type === 'other' ? 'special' : e.type;
    const size = e.type === 'hardlink' ? (target?.size ?? -1) : e.size;
    return { path: e.path, type, size, mode: octal(e.mode), linkTarget: e.type === 'symlink' ? e.linkTarget : null };
  });
}

/** StageScope's aggregated tree of a stage image, in the same shape. */
export function comparableFromTree(tree: FileTree): ComparableFile[] {
  const out: ComparableFile[] = [];
  const walk = (id: number) => {
    for (const child of tree.childIds(id)) {
      if (tree.isGhost(child)) continue;
      const m = tree.metaOf(child);
      const type =
        m.type === 'hardlink' ? 'file' : m.type === 'dir' ? 'directory' : ['char', 'block', 'fifo'].includes(m.type) ? 'special' : m.type;
      out.push({
        path: tree.pathOf(child),
        type,
        size: type === 'file' ? m.size : 0,
        mode: octal(m.mode),
        linkTarget: m.type === 'symlink' ? m.linkTarget : null,
      });
      walk(child);
    }
  };
  walk(0);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Paths that differ, for a readable failure (the full lists can hold thousands of files). */
export function fileListDifferences(ours: readonly ComparableFile[], docker: readonly ComparableFile[]): string[] {
  const mine = new Map(ours.map((e) => [e.path, e]));
  const theirs = new Map(docker.map((e) => [e.path, e]));
  const out: string[] = [];
  for (const [path, d] of theirs) {
    const o = mine.get(path);
    if (!o) out.push(`missing in StageScope: ${path}`);
    else if (JSON.stringify(o) !== JSON.stringify(d)) out.push(`differs: ${JSON.stringify(o)} vs docker ${JSON.stringify(d)}`);
  }
  for (const path of mine.keys()) if (!theirs.has(path)) out.push(`only in StageScope: ${path}`);
  return out.sort();
}
