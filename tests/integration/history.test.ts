// Build-over-build comparison on the real engine, through the command line: a project built,
// changed (a move, a modified file, an added file), rebuilt and compared; `why` through
// COPY --from; the files left behind; diff-images on images and a saved archive; a snapshot
// compared after its images and the layer cache were removed; a corrupt store.
import { execFile } from 'node:child_process';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../electron/cli/main.ts';
import { whyPath } from '../../electron/core/lineage/why.ts';
import { analyzeDockerfile } from '../../electron/core/project/analyze.ts';
import type { CompareReport, LeftBehindReport, SnapshotSummary, WhyReport } from '../../shared/history.ts';
import type { DiffResult } from '../../shared/model.ts';
import { projectKey } from '../../electron/core/history/store.ts';
import { CODEC_VERSION } from '../../electron/core/image/cache/codec.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { engine } from './harness.ts';
import { fixtureDir } from '../support/fixtures.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';

const exec = promisify(execFile);
let dir = '';
let cache = '';
let dockerfile = '';

/**
 * The command line in this process (`main` exactly as bin/stagescope.js calls it, stdout and
 * stderr captured): a process per call costs seconds of start-up on a loaded machine. One test
 * runs the real binary.
 */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = { stdout: '', stderr: '' };
  const grab = (key: 'stdout' | 'stderr') =>
    vi.spyOn(process[key], 'write').mockImplementation(((chunk: string | Uint8Array) => {
      captured[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    }) as typeof process.stdout.write);
  const spies = [grab('stdout'), grab('stderr')];
  try {
    const code = await main(args);
    return { code, ...captured };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

async function binary(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, STAGESCOPE_CACHE_DIR: cache };
  try {
    const { stdout, stderr } = await exec('node', ['bin/stagescope.js', ...args], { env, maxBuffer: 32 * 1024 * 1024, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function json<T>(...args: string[]): Promise<T> {
  const r = await cli(...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

async function removeOurImages(): Promise<number> {
  const { docker } = await engine();
  const images = await docker.listImages({ filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${dockerfile}`] } });
  for (const img of images)
    await docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
  return images.length;
}

let first: SnapshotSummary[] = [];
const savedCacheDir = process.env.STAGESCOPE_CACHE_DIR;
let compared: CompareReport;

describe('compare, history, why, left-behind, diff-images', () => {
  beforeAll(async () => {
    await engine();
    dir = await makeTempDir();
    cache = await makeTempDir('stagescope-history-cache-');
    process.env.STAGESCOPE_CACHE_DIR = cache;
    await cp(fixtureDir('history'), dir, { recursive: true });
    dockerfile = join(dir, 'Dockerfile');
    const analyzed = await cli('analyze', dir, '--json');
    expect(analyzed.code, analyzed.stderr).toBe(0);
    first = await json<SnapshotSummary[]>('history', dir, '--json');
    // The change: hello moves to /bin, cache.txt gets new content, notes.txt is added.
    const text = await readFile(dockerfile, 'utf8');
    await writeFile(
      dockerfile,
      text.replace('/usr/bin/hello /usr/bin/hello', '/usr/bin/hello /bin/hello').replace('cache-v1', 'cache-version-2') +
        'COPY notes.txt /etc/notes.txt\n',
    );
    await writeFile(join(dir, 'notes.txt'), 'some notes\n');
    compared = await json<CompareReport>('compare', dir, '--json');
  });

  afterAll(async () => {
    await removeOurImages();
    await removeTempDirs();
    process.env.STAGESCOPE_CACHE_DIR = savedCacheDir;
  });

  it('history lists the first analysis; compare reports per stage what changed and the line that did it', async () => {
    expect(first).toHaveLength(1);
    expect(first[0].target).toBe('final');
    expect(first[0].finalSize).toBeGreaterThan(0);
    expect(compared.baseline.id).toBe(first[0].id);
    const [builder, final] = compared.stages;
    expect(builder).toMatchObject({ index: 0, name: 'builder', status: 'changed', added: [], removed: [], moved: [] });
    expect(builder.modified).toEqual([{ path: '/src/cache.txt', before: 9, after: 16, reasons: ['content'], line: 4 }]);
    expect(final.status).toBe('changed');
    expect(final.added).toEqual([{ path: '/etc/notes.txt', size: 11, line: 9 }]);
    expect(final.moved).toEqual([{ from: '/usr/bin/hello', to: '/bin/hello', size: 10, line: 7 }]);
    expect(final.modified.map((m) => [m.path, m.reasons, m.line])).toEqual([['/etc/cache.txt', ['content'], 8]]);
    expect(final.removed).toEqual([]);
    expect(final.layersChanged.map((l) => l.line)).toEqual([7, 8, 9]);
    // Sizes are the engine's: the new final image's size is what docker reports for it.
    const { docker } = await engine();
    const history = await json<SnapshotSummary[]>('history', dir, '--json');
    expect(history).toHaveLength(2);
    expect(history[0].id).toBe(compared.current.id);
    const images = await docker.listImages({ filters: { label: [`${PROJECT_LABEL}=${dockerfile}`] } });
    expect(images.map((i) => i.Size)).toContain(compared.final.sizeAfter);
    expect(compared.final).toMatchObject({ name: 'final', sizeBefore: first[0].finalSize });
  });

  it('--markdown (the real binary) is a pull-request comment with no terminal colors', async () => {
    const md = await binary('compare', dir, '--markdown', '--baseline', first[0].id);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^### StageScope: final is /);
    expect(md.stdout).toContain('| final | changed |');
    expect(md.stdout).toContain('| +11 B | final | `/etc/notes.txt` | 9 |');
    expect(md.stdout).not.toContain('\u001b');
    expect(md.stdout).toMatch(/<details><summary>Stage final: \+1 -0 ~1 >1<\/summary>/);
    expect(md.stdout).toContain('> /usr/bin/hello -> /bin/hello');
  });

  it('why follows /bin/hello back through COPY --from to the RUN that wrote it', async () => {
    const why = await json<WhyReport>('why', dir, 'final', '/bin/hello', '--json');
    expect(why.stage).toEqual({ index: 1, name: 'final' });
    expect(why.steps.map((s) => [s.stage?.name, s.line, s.change, s.size])).toEqual([
      ['builder', 4, 'added', 10],
      ['final', 7, 'added', 10],
    ]);
    expect(why.steps[1].via).toEqual({ copyLine: 7, fromStage: { index: 0, name: 'builder' }, sourcePath: '/usr/bin/hello' });
    expect(why.steps[0].hash).toBe(why.steps[1].hash);
    expect(why.steps[0].instruction).toMatch(/^RUN mkdir -p \/usr\/bin/);
    const analysis = await analyzeDockerfile(await engine(), { dockerfile, options: {}, snapshots: null });
    expect(() => whyPath(analysis, 1, '/nope')).toThrow('/nope was never written in stage final.');
    // A path that came with the base image is the base image's, line unknown.
    const busybox = whyPath(analysis, 1, '/bin/busybox');
    expect(busybox.steps.map((s) => [s.stage, s.image, s.line, s.change])).toEqual([[null, 'stagescope-test/busybox:1', null, 'added']]);
  });

  it('left-behind lists the builder files that never reach the target, largest first', async () => {
    const r = await json<LeftBehindReport>('left-behind', dir, '--json');
    expect(r.target).toEqual({ index: 1, name: 'final' });
    const builder = r.stages.find((s) => s.name === 'builder')!;
    expect(builder.paths[0]).toEqual({ path: '/src/big.bin', size: 65536 });
    const listed = builder.paths.map((p) => p.path);
    expect(listed).not.toContain('/usr/bin/hello');
    expect(listed).not.toContain('/src/cache.txt');
    expect(listed).toContain('/src/app.txt');
  });

  it('diff-images compares two images, or an image and a saved archive, with moves', async () => {
    const v1 = await readFile(join(cache, `history-v1`, projectKey(dockerfile), `${first[0].id}.json`), 'utf8');
    const oldFinal = (JSON.parse(v1) as { stages: { name: string; imageId: string }[] }).stages.find((s) => s.name === 'final')!.imageId;
    const newFinal = compared.stages[1];
    const history = await json<SnapshotSummary[]>('history', dir, '--json');
    expect(history[0].stages[1].name).toBe(newFinal.name);
    const snap = JSON.parse(await readFile(join(cache, 'history-v1', projectKey(dockerfile), `${history[0].id}.json`), 'utf8')) as {
      stages: { imageId: string }[];
    };
    const d = await json<DiffResult & { moved: unknown[] }>('diff-images', oldFinal, snap.stages[1].imageId, '--json');
    expect(d.moved).toEqual([{ from: '/usr/bin/hello', to: '/bin/hello', size: 10 }]);
    expect(d.added.map((e) => e.path)).toEqual(['/etc/notes.txt']);
    const archive = join(dir, 'final.tar');
    await exec('docker', ['save', '-o', archive, snap.stages[1].imageId]);
    const same = await json<DiffResult & { moved: unknown[] }>('diff-images', archive, snap.stages[1].imageId, '--json');
    expect([same.added, same.removed, same.modified, same.moved]).toEqual([[], [], [], []]);
    const bad = await cli('diff-images', archive, 'stagescope-test/no-such-image:0');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('compares with a snapshot after its images and the layer cache are gone; a bad baseline fails before building', async () => {
    expect(await removeOurImages()).toBeGreaterThan(0);
    await rm(join(cache, `layers-v${CODEC_VERSION}`), { recursive: true, force: true });
    const r = await json<CompareReport>('compare', dir, '--json', '--baseline', first[0].id);
    expect(r.warnings).toEqual([]);
    const final = r.stages.find((s) => s.name === 'final')!;
    expect(final.filesCompared).toBe(true);
    expect(final.moved).toEqual([{ from: '/usr/bin/hello', to: '/bin/hello', size: 10, line: 7 }]);
    const bad = await cli('compare', dir, '--baseline', 'no-such-snapshot');
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toContain('building');
    expect(bad.stderr.trim()).toMatch(/^stagescope: No snapshot or report file named no-such-snapshot\./);
  });

  it('sets a corrupt or foreign store file aside with a warning and keeps working', async () => {
    const folder = join(cache, 'history-v1', projectKey(dockerfile));
    const names = (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
    await writeFile(join(folder, names[0]), '{"v":1,"stages":[');
    await writeFile(join(folder, '20991231T000000000Z-abcdef.json'), JSON.stringify({ v: 7, id: '20991231T000000000Z-abcdef' }));
    const r = await cli('history', dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: The snapshot .* is not valid JSON; it was set aside/);
    expect(r.stderr).toMatch(/format version 7/);
    expect((JSON.parse(r.stdout) as SnapshotSummary[]).length).toBe(names.length - 1);
    expect((await readdir(folder)).filter((n) => n.endsWith('.corrupt'))).toHaveLength(2);
  });
});
