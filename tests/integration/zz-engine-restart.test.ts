// The engine restarted during a build and during an export: the analysis fails cleanly (a
// StageScopeError within seconds, no hang, no half-written layer-cache entry) and a retry on
// the same session works once the engine is back.
//
// The restart happens on a private dockerd this file starts (own socket, data-root, exec-root
// and managed containerd) and stops by its pid: stopping the shared engine would break every
// test and process running beside this one, and nothing here needs that engine's state.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../electron/core/docker/connection.ts';
import { LayerCache } from '../../electron/core/image/cache/index.ts';
import { openProject, type ProjectSession } from '../../electron/core/project/session.ts';
import { StageScopeError } from '../../shared/errors.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { requireEngine } from '../support/engine.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { requireRoot } from '../support/root.ts';

let root = '';
let host = '';
let daemon: ChildProcess | null = null;

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} within ${ms} ms; see ${join(root, 'dockerd.log')}`);
}

async function startEngine(): Promise<void> {
  const { openSync } = await import('node:fs');
  const log = openSync(join(root, 'dockerd.log'), 'a');
  daemon = spawn(
    'dockerd',
    [
      `--host=${host}`,
      `--data-root=${join(root, 'data')}`,
      `--exec-root=${join(root, 'exec')}`,
      `--pidfile=${join(root, 'docker.pid')}`,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      '--ip6tables=false',
    ],
    { stdio: ['ignore', log, log] },
  );
  const docker = new Dockerode({ socketPath: host.slice('unix://'.length) });
  await waitFor(async () => (await docker.ping(), true), 60_000, 'the private dockerd did not answer');
}

/**
 * SIGTERM, as a service restart does (dockerd lets requests in flight finish), or SIGKILL, as a
 * crash does (streams are cut); then wait until the daemon has exited. Its managed containerd
 * survives a SIGKILL and is taken over by the next dockerd (pid file under exec-root).
 */
async function stopEngine(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  const d = daemon;
  daemon = null;
  if (!d || d.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => d.once('exit', () => resolve()));
  d.kill(signal);
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  if (d.exitCode === null) {
    d.kill('SIGKILL');
    await exited;
  }
}

async function restartEngine(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  await stopEngine(signal);
  await startEngine();
}

/** Copies the busybox base image from the shared engine into the private one. */
async function loadBusybox(): Promise<void> {
  const shared = await requireEngine();
  const ours = new Dockerode({ socketPath: host.slice('unix://'.length) });
  const saved = await shared.getImage(BASE_IMAGES.busybox).get();
  const loading = await ours.loadImage(saved as NodeJS.ReadableStream);
  await new Promise<void>((resolve, reject) => ours.modem.followProgress(loading, (err: Error | null) => (err ? reject(err) : resolve())));
}

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
  await startEngine();
  await loadBusybox();
}, 120_000);

/**
 * Overlay mounts a build cut short leaves under our data-root (ours only), deepest first.
 * dockerd bind-mounts its data-root onto itself, so copies of a child mount can reappear
 * after one pass: repeat until none is left.
 */
async function unmountLeftovers(): Promise<string[]> {
  const { readFile } = await import('node:fs/promises');
  const { execFile } = await import('node:child_process');
  const ours = async () =>
    (await readFile('/proc/self/mounts', 'utf8'))
      .split('\n')
      .map((l) => l.split(' ')[1])
      .filter((m): m is string => !!m && m.startsWith(root + '/'))
      .sort((a, b) => b.length - a.length);
  for (let pass = 0; pass < 5; pass++) {
    const mounts = await ours();
    if (mounts.length === 0) return [];
    for (const m of mounts) await new Promise((r) => execFile('umount', [m], () => execFile('umount', ['-l', m], () => r(null))));
  }
  return ours();
}

afterAll(async () => {
  await stopEngine();
  expect(await unmountLeftovers()).toEqual([]);
  await rm(root, { recursive: true, force: true }).catch(() => undefined);
  await removeTempDirs();
}, 60_000);

describe('engine restarted mid-operation', () => {
  it('during a build: a clean failure within seconds, then a retry works', { timeout: 180_000 }, async () => {
    const session = await project(`FROM ${BASE_IMAGES.busybox} AS slow\nRUN sleep 6 && echo done > /done\n`);
    let killedAt = 0;
    const building = session.analyze({ dockerfile: 'Dockerfile', noCache: true } as never, {
      onEvent: (e) => {
        if (!killedAt && e.type === 'vertex' && /sleep/.test(JSON.stringify(e))) {
          killedAt = performance.now();
          void restartEngine();
        }
      },
    });
    const { err, ms } = await failureOf(building, () => killedAt);
    expect(killedAt).toBeGreaterThan(0);
    expect(err.code).toBe('engine');
    expect(err.message).toMatch(/Docker Engine/);
    expect(ms).toBeLessThan(30_000);
    console.log(`engine restart: ${err.code}: ${err.message} (${Math.round(ms)} ms)`);
    await waitFor(
      async () => daemon !== null && (await new Dockerode({ socketPath: host.slice(7) }).ping(), true),
      60_000,
      'the engine did not come back',
    );
    const report = await session.analyze({ dockerfile: 'Dockerfile' } as never);
    expect(report.stages[0].built).toBe(true);
  });

  it('during an export: a clean failure, no half-written cache entry, then a retry works', { timeout: 180_000 }, async () => {
    const cacheDir = await makeTempDir('stagescope-restart-cache-');
    process.env.STAGESCOPE_CACHE_DIR = cacheDir;
    try {
      const session = await project(`FROM ${BASE_IMAGES.busybox} AS big\nRUN head -c 67108864 /dev/urandom > /big\n`);
      let killedAt = 0;
      const analyzing = session.analyze({ dockerfile: 'Dockerfile' } as never, {
        onPhase: (phase, info) => {
          if (!killedAt && phase === 'export' && (info?.bytes ?? 0) > 0) {
            killedAt = performance.now();
            // Killed, not stopped: a graceful stop would let the export finish first.
            void restartEngine('SIGKILL');
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
      await waitFor(
        async () => daemon !== null && (await new Dockerode({ socketPath: host.slice(7) }).ping(), true),
        60_000,
        'the engine did not come back',
      );
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
