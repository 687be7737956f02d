// The command line's contract: usage errors exit 2 with one sentence, inspect works on an
// image and on a saved archive, prune removes only what StageScope labelled (on a private engine).
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from './harness.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { startPrivateEngine, type PrivateEngine } from '../support/private-engine.ts';
import { makeTempDir } from '../support/temp.ts';
import { MANAGED_LABEL } from '../../electron/core/project/naming.ts';

const run = promisify(execFile);
const cli = (...args: string[]) => run('node', ['bin/stagescope.js', ...args], { maxBuffer: 64 * 1024 * 1024 });

describe('stagescope CLI', () => {
  it('exits 2 on bad usage with a hint', async () => {
    for (const args of [
      ['frobnicate'],
      ['analyze'],
      ['analyze', '.', '--bogus'],
      ['analyze', '.', '--build-arg', 'NOVALUE'],
      ['serve', '--port', 'x'],
    ]) {
      const err = await cli(...args).catch((e) => e);
      expect(err.code, args.join(' ')).toBe(2);
      expect(err.stderr).toMatch(/^stagescope: .+/);
      expect(err.stdout).toBe('');
    }
  });

  it('exits 1 for an unknown stage and a missing path', async () => {
    const missing = await cli('analyze', '/nonexistent/stagescope').catch((e) => e);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const badStage = await cli('diff', 'tests/fixtures/target', 'build', 'nosuch').catch((e) => e);
    expect(badStage.code).toBe(2);
    expect(badStage.stderr).toContain('There is no stage "nosuch"');
  });

  it('inspects a local image and the same image saved to an archive alike', async () => {
    const { docker } = await engine();
    const fromEngine = JSON.parse((await cli('inspect', BASE_IMAGES.busybox, '--json')).stdout);
    const dir = await makeTempDir();
    const archive = join(dir, 'busybox.tar');
    await pipeline((await docker.getImage(BASE_IMAGES.busybox).get()) as NodeJS.ReadableStream, createWriteStream(archive));
    const fromFile = JSON.parse((await cli('inspect', archive, '--json')).stdout);
    expect(fromEngine.images).toHaveLength(1);
    expect(fromFile.images[0].fileCount).toBe(fromEngine.images[0].fileCount);
    expect(fromFile.images[0].layers).toEqual(fromEngine.images[0].layers);
    expect(fromEngine.images[0].fileCount).toBeGreaterThan(100);
    const text = (await cli('inspect', archive)).stdout;
    expect(text).toContain('efficiency');
  });
});

// prune deletes every StageScope image of its engine: on the shared engine it took other
// runs' and users' analyses with it. It runs against a private engine, and exactly the
// labelled images (and helper containers) made here must go.
describe('stagescope prune', () => {
  let priv: PrivateEngine;
  beforeAll(async () => {
    priv = await startPrivateEngine();
    await priv.copyImage(BASE_IMAGES.busybox);
  }, 120_000);
  afterAll(async () => {
    await priv?.stop();
  }, 60_000);

  it('removes exactly the images and containers StageScope labelled, and nothing else', async () => {
    const { docker } = priv;
    const keep = 'stagescope-test/prune-keep:1';
    await docker.getImage(BASE_IMAGES.busybox).tag({ repo: 'stagescope-test/prune-keep', tag: '1' });
    // Labelled images as StageScope makes them: commits of a created container with the label.
    const labelled: string[] = [];
    for (const tag of ['1', '2']) {
      const c = await docker.createContainer({ Image: BASE_IMAGES.busybox, Cmd: ['true'] });
      const { Id } = (await c.commit({ repo: 'stagescope/prune-test', tag, changes: [`LABEL ${MANAGED_LABEL}=true`, `ENV N=${tag}`] })) as {
        Id: string;
      };
      await c.remove();
      labelled.push(Id);
    }
    // A preview helper container (labelled) and a container of someone else (not labelled).
    const helper = await docker.createContainer({ Image: BASE_IMAGES.busybox, Cmd: ['true'], Labels: { [MANAGED_LABEL]: 'true' } });
    const foreign = await docker.createContainer({ Image: BASE_IMAGES.busybox, Cmd: ['true'] });
    const { stdout } = await run('node', ['bin/stagescope.js', 'prune', '--json'], { env: { ...process.env, DOCKER_HOST: priv.host } });
    const out = JSON.parse(stdout) as { removedImages: string[]; removedContainers: string[] };
    expect([...out.removedImages].sort()).toEqual([...labelled].sort());
    expect(out.removedContainers).toEqual([helper.id]);
    const left = await docker.listImages();
    expect(left.flatMap((i) => i.RepoTags ?? []).sort()).toEqual([BASE_IMAGES.busybox, keep].sort());
    expect((await docker.listContainers({ all: true })).map((c) => c.Id)).toEqual([foreign.id]);
  });
});
