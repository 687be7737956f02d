// Export, inspect and prune on the real engine; every image made here is removed in afterAll.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../shared/errors.ts';
import { buildImage } from './build.ts';
import { connectEngine } from './connection.ts';
import { createBuildContext } from './context.ts';
import { exportImages, imageExists, inspectImage, removeImagesByLabel } from './images.ts';
import { busyboxBase, removeImages, type TestBase } from './testing/images.ts';

let docker: Dockerode;
let base: TestBase;
const run = `${process.pid}-${Date.now().toString(36)}`;
const PRUNE_LABEL = `io.stagescope.test.prune-${run}`;
const tags = {
  a: `stagescope-test/docker-images:${run}-a`,
  b: `stagescope-test/docker-images:${run}-b`,
  other: `stagescope-test/docker-images:${run}-other`,
};
const ids: Record<string, string> = {};

async function build(tag: string, content: string, labels: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'stagescope-img-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${base.ref}\nRUN echo ${content} > /${content}.txt\n`);
    const ctx = await createBuildContext(dir, { dockerfile: join(dir, 'Dockerfile') });
    const { imageId } = await buildImage(docker, {
      context: ctx.stream,
      dockerfileName: ctx.dockerfileName,
      tag,
      labels,
      builder: 'buildkit',
      onEvent: () => {},
      stageOfName: () => 0,
    });
    return imageId;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  docker = (await connectEngine()).docker;
  base = await busyboxBase(docker);
  ids.a = await build(tags.a, 'a', { [PRUNE_LABEL]: 'true' });
  ids.b = await build(tags.b, 'b', { [PRUNE_LABEL]: 'true' });
  ids.other = await build(tags.other, 'other', { [PRUNE_LABEL]: 'false' });
}, 120_000);

afterAll(async () => {
  await removeImages(docker, Object.values(tags));
  await base?.release();
}, 60_000);

describe('exportImages', () => {
  it('exports two images in one tar whose manifest.json lists both', async () => {
    const stream = await exportImages(docker, [tags.a, tags.b]);
    const ex = extract();
    let manifest: { RepoTags?: string[]; Config: string }[] | null = null;
    const names: string[] = [];
    const done = (async () => {
      for await (const entry of ex) {
        names.push(entry.header.name);
        const chunks: Buffer[] = [];
        for await (const c of entry) if (entry.header.name === 'manifest.json') chunks.push(c as Buffer);
        if (entry.header.name === 'manifest.json') manifest = JSON.parse(Buffer.concat(chunks).toString());
      }
    })();
    stream.pipe(ex);
    await done;
    expect(manifest).not.toBeNull();
    const listed = manifest!.flatMap((m) => m.RepoTags ?? []);
    expect(listed).toEqual(expect.arrayContaining([tags.a, tags.b]));
    expect(manifest!).toHaveLength(2);
    // The shared busybox layer crosses once: no blob name repeats.
    expect(new Set(names).size).toBe(names.length);
  }, 60_000);

  it('reports a missing image as not-found', async () => {
    const err = await exportImages(docker, ['stagescope-test/does-not-exist:never']).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StageScopeError);
    expect((err as StageScopeError).code).toBe('not-found');
  });
});

describe('inspectImage / imageExists', () => {
  it('returns id, size, created, labels and tags', async () => {
    const info = await inspectImage(docker, tags.a);
    expect(info.id).toBe(ids.a);
    expect(info.size).toBeGreaterThan(100_000); // busybox is ~2 MB
    expect(Number.isNaN(Date.parse(info.created))).toBe(false);
    expect(info.labels[PRUNE_LABEL]).toBe('true');
    expect(info.repoTags).toContain(tags.a);
  });

  it('says not-found for an unknown image, and imageExists tells both apart', async () => {
    const err = await inspectImage(docker, 'stagescope-test/does-not-exist:never').then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as StageScopeError).code).toBe('not-found');
    expect(await imageExists(docker, tags.a)).toBe(true);
    expect(await imageExists(docker, 'stagescope-test/does-not-exist:never')).toBe(false);
  });
});

describe('removeImagesByLabel', () => {
  it('removes exactly the images carrying key=value', async () => {
    const removed = await removeImagesByLabel(docker, `${PRUNE_LABEL}=true`);
    expect(removed.sort()).toEqual([ids.a, ids.b].sort());
    expect(await imageExists(docker, tags.a)).toBe(false);
    expect(await imageExists(docker, tags.b)).toBe(false);
    expect(await imageExists(docker, tags.other)).toBe(true);
    expect(await imageExists(docker, base.ref)).toBe(true);
  }, 60_000);
});
