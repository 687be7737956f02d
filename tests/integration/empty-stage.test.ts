// A stage without layers (a bare `FROM scratch`, or one that only sets metadata) is a valid
// stage with an empty tree. The engine cannot `docker save` it ("empty export - not
// implemented"): before the fix `analyze` and `diff` failed with "Check that the engine is
// running" although the engine had answered.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../electron/core/docker/connection.ts';
import { exportImages } from '../../electron/core/docker/images.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { StageScopeError } from '../../shared/errors.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { requireBaseImages, requireEngine } from '../support/engine.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';

const run = promisify(execFile);

const DOCKERFILE = `FROM scratch AS bare

FROM scratch AS meta
ENV X=1
LABEL purpose=test

FROM ${BASE_IMAGES.busybox} AS full
RUN echo hi > /hi
`;

let dir = '';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/stagescope.js', ...args], { maxBuffer: 16 * 1024 * 1024, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  await requireEngine();
  await requireBaseImages([BASE_IMAGES.busybox]);
  dir = await makeTempDir('stagescope-empty-stage-');
  await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
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

describe('stages without layers', () => {
  it('analyze: bare FROM scratch and a metadata-only stage are built stages with empty trees', async () => {
    const r = await cli('analyze', dir, '--all-stages', '--json');
    expect(r.stderr).not.toMatch(/Check that the engine is running/);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { stages: { name: string | null; built: boolean; fileCount?: number; layers?: unknown[] }[] };
    const byName = new Map(report.stages.map((s) => [s.name, s]));
    for (const name of ['bare', 'meta']) {
      expect(byName.get(name), name).toMatchObject({ built: true, fileCount: 0, layers: [] });
    }
    expect(byName.get('full')!.fileCount).toBeGreaterThan(0);
  });

  it('diff: an empty stage against a full one lists every file of the full one as added', async () => {
    const r = await cli('diff', dir, 'bare', 'full', '--json');
    expect(r.code, r.stderr).toBe(0);
    const diff = JSON.parse(r.stdout) as { added: { path: string }[]; removed: unknown[]; modified: unknown[] };
    expect(diff.added.map((e) => e.path)).toContain('/hi');
    expect(diff.removed).toEqual([]);
    expect(diff.modified).toEqual([]);
  });

  it("an export the engine refuses carries the engine's own reason, not a hint to check that it runs", async () => {
    const docker = await requireEngine();
    const [bare] = await docker.listImages({
      filters: { label: [`${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`], reference: ['*/*:*-bare'] },
    });
    expect(bare, 'the bare stage image').toBeDefined();
    const err = await exportImages((await connectEngine()).docker, [bare!.Id]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageScopeError);
    expect((err as StageScopeError).message).toMatch(/empty export - not implemented/);
    expect(`${(err as StageScopeError).message} ${(err as StageScopeError).hint}`).not.toMatch(/Check that the engine is running/);
  });
});
