// Paths to the seed fixture projects (tests/fixtures/README.md says what each proves), unique
// image tags, and a reference build with the docker CLI to check StageScope's results against.
import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');

export const FIXTURE_NAMES = [
  'go-hello',
  'named-stages',
  'target',
  'external-copy',
  'from-stage',
  'skip-stage',
  'slow-step',
  'failing',
  'hostile-names',
  'history',
  'graph-6',
  'graph-30',
] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

export function fixtureDir(name: FixtureName): string {
  return join(FIXTURES_DIR, name);
}

let counter = 0;
/** `stagescope-test/<label>-<pid>-<n>`: unique per process, inside the test namespace. */
export function uniqueTag(label: string): string {
  counter += 1;
  return `stagescope-test/${label.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}-${process.pid}-${counter}`;
}

const SYNTAX_DIRECTIVE = /^#\s*syntax\s*=.*$/im;

/**
 * Copies a fixture into `dest` with its `# syntax=` directive turned into a plain comment
 * (BuildKit cannot fetch the frontend offline; a comment keeps line numbers true).
 */
export async function copyFixtureOffline(name: FixtureName, dest: string): Promise<string> {
  await cp(fixtureDir(name), dest, { recursive: true });
  const dockerfile = join(dest, 'Dockerfile');
  const text = await readFile(dockerfile, 'utf8');
  await writeFile(dockerfile, text.replace(SYNTAX_DIRECTIVE, '# (syntax directive removed for an offline build)'));
  return dest;
}

export interface CliBuildOptions {
  tag: string;
  target?: string;
  buildArgs?: Record<string, string>;
  noCache?: boolean;
  /** A Dockerfile other than `<dir>/Dockerfile` (`-f`). */
  file?: string;
}

/**
 * Builds `dir` with `docker build` (BuildKit, no network): a reference independent of
 * StageScope's own build code. `dir` must have no `# syntax` line (see copyFixtureOffline).
 * Returns the image id.
 */
export async function buildWithDockerCli(dir: string, opts: CliBuildOptions): Promise<string> {
  const args = ['build', '--network', 'none', '-q', '-t', opts.tag];
  if (opts.target) args.push('--target', opts.target);
  if (opts.noCache) args.push('--no-cache');
  if (opts.file) args.push('-f', opts.file);
  for (const [k, v] of Object.entries(opts.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  args.push(dir);
  const { stdout } = await run('docker', args, {
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}
