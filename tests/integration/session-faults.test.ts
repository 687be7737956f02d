// A project session under faults: a Dockerfile outside the folder (by path or by symlink), two
// builds of one project at once (refused with 'busy'), a build cancelled midway (a clean
// 'cancelled', the session usable again), and no temporary files left by a CLI run.
import { execFile } from 'node:child_process';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEngine, type Connection } from '../../electron/core/docker/connection.ts';
import { openProject } from '../../electron/core/project/session.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { StageScopeError } from '../../shared/errors.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { engine, fixtureDockerfile } from './harness.ts';

const run = promisify(execFile);
const BUSYBOX = BASE_IMAGES.busybox;

async function errorOf(p: Promise<unknown>): Promise<StageScopeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StageScopeError);
  return err as StageScopeError;
}

async function projectWith(dockerfile: string): Promise<string> {
  const dir = await makeTempDir('stagescope-session-');
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

const projects: string[] = [];
afterAll(async () => {
  const c = await engine();
  for (const dir of projects) {
    const images = await c.docker.listImages({
      filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`] },
    });
    for (const img of images)
      await c.docker
        .getImage(img.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
  await removeTempDirs();
});

describe('ProjectSession.resolveDockerfile', () => {
  it('refuses a Dockerfile outside the folder, by ../, absolute path or a symlink pointing out', async () => {
    const outside = await projectWith(`FROM ${BUSYBOX}\n`);
    const dir = await projectWith(`FROM ${BUSYBOX}\n`);
    await symlink(join(outside, 'Dockerfile'), join(dir, 'escape.Dockerfile'));
    await mkdir(join(dir, 'sub'));
    await symlink(outside, join(dir, 'sub', 'out'));
    const session = await openProject(dir);
    for (const path of ['../x/Dockerfile', join(outside, 'Dockerfile'), 'escape.Dockerfile', 'sub/out/Dockerfile']) {
      const err = await errorOf(session.parse({ dockerfile: path, buildArgs: {} } as never));
      expect(err.code, path).toBe('usage');
      expect(err.message).toMatch(/outside the project folder/);
    }
    // Inside, even through a symlink that stays inside, is fine.
    await symlink(join(dir, 'Dockerfile'), join(dir, 'inside.Dockerfile'));
    expect((await session.parse({ dockerfile: 'inside.Dockerfile', buildArgs: {} } as never)).model.stages).toHaveLength(1);
  });
});

describe('ProjectSession.analyze under faults', () => {
  it('refuses a second build of the same project while one runs, then builds again', async () => {
    const dir = await projectWith(`FROM ${BUSYBOX} AS only\nRUN echo one > /one\n`);
    projects.push(dir);
    let release: (c: Connection) => void = () => undefined;
    const connecting = new Promise<Connection>((resolve) => (release = resolve));
    const session = await openProject(dir, { connect: () => connecting });
    const first = session.analyze({ dockerfile: 'Dockerfile' } as never);
    const second = await errorOf(session.analyze({ dockerfile: 'Dockerfile' } as never));
    expect(second.code).toBe('busy');
    expect(second.hint).toMatch(/Wait|cancel/);
    release(await connectEngine());
    const report = await first;
    expect(report.stages.filter((s) => s.built)).toHaveLength(1);
    // Not busy any more: a third run works. Unchanged, its stage is reused (no build at all);
    // once the Dockerfile changes, it says when it sends the context, then builds.
    const phases: string[] = [];
    await expect(session.analyze({ dockerfile: 'Dockerfile' } as never, { onPhase: (p) => phases.push(p) })).resolves.toBeTruthy();
    expect([...new Set(phases)]).toEqual(['export', 'analyze']);
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BUSYBOX} AS only\nRUN echo two > /two\n`);
    phases.length = 0;
    await expect(session.analyze({ dockerfile: 'Dockerfile' } as never, { onPhase: (p) => phases.push(p) })).resolves.toBeTruthy();
    expect([...new Set(phases)]).toEqual(['context', 'build', 'export', 'analyze']);
  });

  it('a build cancelled midway fails with "cancelled" within seconds and the session builds again', async () => {
    const dir = await projectWith(`FROM ${BUSYBOX} AS slow\nRUN sleep 60\nFROM slow AS after\nRUN true\n`);
    projects.push(dir);
    const session = await openProject(dir);
    await engine();
    const controller = new AbortController();
    let abortedAt = 0;
    const building = session.analyze({ dockerfile: 'Dockerfile', noCache: true } as never, {
      signal: controller.signal,
      onEvent: (e) => {
        // Abort once the RUN is running, i.e. midway through the first stage.
        if (!abortedAt && e.type === 'vertex' && /sleep/.test(JSON.stringify(e))) {
          abortedAt = performance.now();
          setTimeout(() => controller.abort(), 500);
        }
      },
    });
    const err = await errorOf(building);
    expect(err.code).toBe('cancelled');
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(15_000);
    // Nothing half-done stays: the stage was never tagged, and the session is not busy.
    const c = await engine();
    const tagged = await c.docker.listImages({ filters: { label: [`${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`] } });
    expect(tagged).toHaveLength(0);
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BUSYBOX} AS quick\nRUN true\n`);
    const report = await session.analyze({ dockerfile: 'Dockerfile' } as never);
    expect(report.stages[0].built).toBe(true);
  });
});

/** What a run left in `dir`, apart from tsx's compile cache (the loader's, kept on purpose). */
async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !/^tsx-\d+$/.test(name));
}

describe('temporary files', () => {
  it('a successful and a failing CLI analysis leave nothing in TMPDIR', async () => {
    const tmp = await makeTempDir('stagescope-tmpdir-');
    const env = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
    await engine();
    const dockerfile = fixtureDockerfile('named-stages');
    await run('node', ['bin/stagescope.js', 'analyze', dockerfile, '--json'], { env, maxBuffer: 64 * 1024 * 1024 });
    expect(await leftovers(tmp)).toEqual([]);
    const failing = await run('node', ['bin/stagescope.js', 'analyze', fixtureDockerfile('failing'), '--json'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((e) => e);
    expect(failing.code).toBe(1);
    expect(await leftovers(tmp)).toEqual([]);
  });
});
