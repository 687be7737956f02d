// The engine restarted during a build and during an export: the analysis fails cleanly (a
// StageScopeError within seconds, no hang, no half-written layer-cache entry) and a retry on
// the same session works once the engine is back.
//
// The restart happens on a private dockerd this file starts (tests/support/dockerd.ts: own
// socket, data-root, exec-root and managed containerd) and stops by its pid: stopping the
// shared engine would break every test and process running beside this one, and nothing here
// needs that engine's state.
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../electron/core/docker/connection.ts';
import { LayerCache } from '../../electron/core/image/cache/index.ts';
import { openProject, type ProjectSession } from '../../electron/core/project/session.ts';
import { StageScopeError } from '../../shared/errors.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { Dockerd } from '../support/dockerd.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { requireRoot } from '../support/root.ts';

let root = '';
let host = '';
let engine: Dockerd;

async function project(dockerfile: string): Promise<ProjectSession> {
  const dir = await makeTempDir('stagescope-restart-project-');
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  return openProject(dir, { connect: () => connectEngine({ host }) });
}

async function failureOf(p: Promise<unknown>, started: () => number): Promise<{ err: StageScopeError; ms: number }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, String(err)).toBeInstanceOf(StageScopeError);
  return { err: err as StageScopeError, ms: performance.now() - started() };
}

async function tempCacheFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  return names.filter((n) => n.includes('.tmp-'));
}

beforeAll(async () => {
  requireRoot('it starts and kills a private dockerd');
  root = await makeTempDir('stagescope-engine-');
  host = `unix://${join(root, 'docker.sock')}`;
  engine = new Dockerd({ root, host, docker: new Dockerode({ socketPath: join(root, 'docker.sock') }) });
  await engine.start();
  await engine.copyImage(BASE_IMAGES.busybox);
}, 120_000);

afterAll(async () => {
  await engine.stop();
  expect(await engine.unmountLeftovers()).toEqual([]);
  await rm(root, { recursive: true, force: true }).catch(() => undefined);
  await removeTempDirs();
}, 60_000);

describe('engine restarted mid-operation', () => {
  it('during a build: a clean failure within seconds, then a retry works', { timeout: 180_000 }, async () => {
    const session = await project(`FROM ${BASE_IMAGES.busybox} AS slow\nRUN sleep 6 && echo done > /done\n`);
    let killedAt = 0;
    let restarted: Promise<void> | null = null;
    const building = session.analyze({ dockerfile: 'Dockerfile', noCache: true } as never, {
      onEvent: (e) => {
        if (!killedAt && e.type === 'vertex' && /sleep/.test(JSON.stringify(e))) {
          killedAt = performance.now();
          restarted = engine.restart();
        }
      },
    });
    const { err, ms } = await failureOf(building, () => killedAt);
    expect(killedAt).toBeGreaterThan(0);
    expect(err.code).toBe('engine');
    expect(err.message).toMatch(/Docker Engine/);
    expect(ms).toBeLessThan(30_000);
    console.log(`engine restart: ${err.code}: ${err.message} (${Math.round(ms)} ms)`);
    await restarted; // back once it answers (Dockerd.start waits for that)
    const report = await session.analyze({ dockerfile: 'Dockerfile' } as never);
    expect(report.stages[0].built).toBe(true);
  });

  it('during an export: a clean failure, no half-written cache entry, then a retry works', { timeout: 180_000 }, async () => {
    const cacheDir = await makeTempDir('stagescope-restart-cache-');
    process.env.STAGESCOPE_CACHE_DIR = cacheDir;
    try {
      const session = await project(`FROM ${BASE_IMAGES.busybox} AS big\nRUN head -c 67108864 /dev/urandom > /big\n`);
      let killedAt = 0;
      let restarted: Promise<void> | null = null;
      const analyzing = session.analyze({ dockerfile: 'Dockerfile' } as never, {
        onPhase: (phase, info) => {
          if (!killedAt && phase === 'export' && (info?.bytes ?? 0) > 0) {
            killedAt = performance.now();
            // Killed, not stopped: a graceful stop would let the export finish first.
            restarted = engine.restart('SIGKILL');
          }
        },
      });
      const { err, ms } = await failureOf(analyzing, () => killedAt);
      expect(killedAt, 'the export had started').toBeGreaterThan(0);
      expect(err.code).toBe('engine');
      expect(err.message).toMatch(/^The Docker Engine failed while exporting the images \(/);
      expect(ms).toBeLessThan(30_000);
      console.log(`engine restart: ${err.code}: ${err.message} (${Math.round(ms)} ms)`);
      expect(await tempCacheFiles(cacheDir)).toEqual([]);
      await restarted; // back once it answers
      const report = await session.analyze({ dockerfile: 'Dockerfile' } as never);
      expect(report.stages[0].built).toBe(true);
      const stage = session.stageImage(0);
      expect(stage.tree.get('/big')?.size).toBe(67108864);
      // The retry parsed the layers again and stored them whole.
      expect(await tempCacheFiles(cacheDir)).toEqual([]);
      const cache = await LayerCache.open({ dir: cacheDir });
      expect(cache.has(stage.image.layers.at(-1)!)).toBe(true);
    } finally {
      delete process.env.STAGESCOPE_CACHE_DIR;
    }
  });
});
