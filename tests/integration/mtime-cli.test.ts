// `--include mtime` on the real engine: docker build copies modification times from the
// context, so two stages that COPY the same bytes from files with different mtimes differ in
// mtime only. BuildKit's COPY cache key ignores mtimes, so the same COPY on the same parent
// would reuse an earlier layer, mtime included: stage b copies a marker first, and the bytes
// carry a nonce so no earlier run's layer matches. `stagescope diff` hides that by default and lists it, reason mtime, when asked;
// `diff-images` does the same with one side read from a `docker save` archive.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import type { DiffResult } from '../../shared/model.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { requireBaseImages, requireEngine } from '../support/engine.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';

const run = promisify(execFile);
const OLD = new Date('2020-01-01T00:00:00Z');
const NEW = new Date('2021-06-15T12:00:00Z');
const CONTENT = `the same bytes ${randomBytes(4).toString('hex')}\n`;

const DOCKERFILE = `FROM ${BASE_IMAGES.busybox} AS a
COPY one/app.txt /app.txt

FROM ${BASE_IMAGES.busybox} AS b
COPY two/marker /marker
COPY two/app.txt /app.txt
`;

let dir = '';
let cache = '';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, STAGESCOPE_CACHE_DIR: cache };
  try {
    const { stdout, stderr } = await run('node', ['bin/stagescope.js', ...args], { env, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function diff(...args: string[]): Promise<DiffResult & { moved: unknown[] }> {
  const r = await cli(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as DiffResult & { moved: unknown[] };
}

beforeAll(async () => {
  await requireEngine();
  await requireBaseImages([BASE_IMAGES.busybox]);
  dir = await makeTempDir('stagescope-mtime-');
  cache = await makeTempDir('stagescope-mtime-cache-');
  await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
  for (const [sub, time] of [
    ['one', OLD],
    ['two', NEW],
  ] as const) {
    await mkdir(join(dir, sub));
    await writeFile(join(dir, sub, 'app.txt'), CONTENT);
    await utimes(join(dir, sub, 'app.txt'), time, time);
  }
  await writeFile(join(dir, 'two', 'marker'), 'm\n');
});

afterAll(async () => {
  const docker = await requireEngine();
  const images = await docker.listImages({ filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`] } });
  for (const img of images)
    await docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await removeTempDirs();
});

describe('--include mtime', () => {
  it('diff: an mtime-only change is hidden by default and listed with --include mtime', { timeout: 300_000 }, async () => {
    const quiet = await diff('diff', dir, 'a', 'b');
    expect(quiet.added.map((e) => e.path)).toEqual(['/marker']);
    expect([quiet.removed, quiet.modified, quiet.moved]).toEqual([[], [], []]);
    const loud = await diff('diff', dir, 'a', 'b', '--include', 'mtime');
    // diff --json also gives mode and owner before/after (equal here).
    expect(loud.modified).toMatchObject([{ path: '/app.txt', before: CONTENT.length, after: CONTENT.length, reasons: ['mtime'] }]);
    expect(loud.modified).toHaveLength(1);
    expect(loud.added.map((e) => e.path)).toEqual(['/marker']);
  });

  it('diff-images: the same from a docker save archive and an image; a bad --include is a usage error', { timeout: 300_000 }, async () => {
    const analyzed = await cli('analyze', dir, '--all-stages', '--json');
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const ids = (JSON.parse(analyzed.stdout) as { stages: { image: { id: string } | null }[] }).stages.map((s) => s.image!.id);
    const archive = join(dir, 'a.tar');
    await run('docker', ['save', '-o', archive, ids[0]!]);
    const loud = await diff('diff-images', archive, ids[1]!, '--include', 'mtime');
    expect(loud.modified).toEqual([{ path: '/app.txt', before: CONTENT.length, after: CONTENT.length, reasons: ['mtime'] }]);
    expect((await diff('diff-images', archive, ids[1]!)).modified).toEqual([]);
    const bad = await cli('diff-images', archive, ids[1]!, '--include', 'atime');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('stagescope: --include takes mtime, not "atime".');
  });
});
