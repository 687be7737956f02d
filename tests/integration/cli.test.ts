// The command line's contract: usage errors exit 2 with one sentence, inspect works on an
// image and on a saved archive, prune removes only what StageScope labelled.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { engine } from './harness.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { makeTempDir } from '../support/temp.ts';
import { MANAGED_LABEL } from '../../electron/core/project/naming.ts';

const run = promisify(execFile);
const cli = (...args: string[]) => run('node', ['bin/stagescope.js', ...args], { maxBuffer: 64 * 1024 * 1024 });

describe('stagescope CLI', () => {
  it('exits 2 on bad usage with a hint', async () => {
    for (const args of [['frobnicate'], ['analyze'], ['analyze', '.', '--bogus'], ['analyze', '.', '--build-arg', 'NOVALUE'], ['serve', '--port', 'x']]) {
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

  it('prune removes the images StageScope labelled and nothing else', async () => {
    const { docker } = await engine();
    const other = 'stagescope-test/prune-keep:1';
    const mine = 'stagescope/prune-test:1';
    await docker.getImage(BASE_IMAGES.busybox).tag({ repo: 'stagescope-test/prune-keep', tag: '1' });
    // A labelled image as StageScope makes them: commit of a created container with the label.
    const c = await docker.createContainer({ Image: BASE_IMAGES.busybox, Cmd: ['true'] });
    await c.commit({ repo: 'stagescope/prune-test', tag: '1', changes: [`LABEL ${MANAGED_LABEL}=true`] });
    await c.remove();
    const out = JSON.parse((await cli('prune', '--json')).stdout);
    expect(out.removedImages.length).toBeGreaterThanOrEqual(1);
    await expect(docker.getImage(mine).inspect()).rejects.toThrow();
    expect((await docker.getImage(other).inspect()).RepoTags).toContain(other);
    expect((await docker.getImage(BASE_IMAGES.busybox).inspect()).Id).toMatch(/^sha256:/);
    await docker.getImage(other).remove();
  });
});
