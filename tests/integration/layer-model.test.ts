// Layer-model cases an independent reader found wrong, on images a plain `docker build` made,
// read both ways StageScope reads images: exported from the engine by name, and from a
// `docker save` file. (1) 100,000 content-less entries in one layer overflowed the stack on
// the file path; (2) a chown-only layer to 3000000:3000001 (PAX uid/gid) read as 0:0 and
// showed no change.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectReport } from '../../shared/model.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { removeImages, requireBaseImages, requireEngine } from '../support/engine.ts';
import { buildWithDockerCli } from '../support/fixtures.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';

const run = promisify(execFile);
const TAG = `stagescope-test/layer-model:${process.pid}`;
const COUNT = 50_000; // empty files, and as many empty folders: 100,000 entries in one layer

const DOCKERFILE = `FROM ${BASE_IMAGES.busybox}
RUN mkdir /many && cd /many && seq 1 ${COUNT} | sed 's/^/e/' | xargs touch && seq 1 ${COUNT} | sed 's/^/d/' | xargs mkdir
RUN echo owned > /owned
RUN chown 3000000:3000001 /owned
`;

let archive = '';

async function inspect(source: string): Promise<InspectReport> {
  const { stdout } = await run('node', ['bin/stagescope.js', 'inspect', source, '--json'], {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 240_000,
  });
  return JSON.parse(stdout) as InspectReport;
}

beforeAll(async () => {
  await requireEngine();
  await requireBaseImages([BASE_IMAGES.busybox]);
  const dir = await makeTempDir('stagescope-layer-model-');
  await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
  await buildWithDockerCli(dir, { tag: TAG });
  archive = join(dir, 'saved.tar');
  await run('docker', ['save', '-o', archive, TAG]);
});

afterAll(async () => {
  await removeImages([TAG]);
  await removeTempDirs();
});

describe.each([
  ['by name from the engine', () => TAG],
  ['from a docker save file', () => archive],
])('an image with large layers and owners, %s', (_how, source) => {
  let report: InspectReport;
  beforeAll(async () => {
    report = await inspect(source());
  });

  it('reads a layer of 100,000 content-less entries', () => {
    const layers = report.images[0]!.layers;
    const many = layers[layers.length - 3]!;
    expect(many.createdBy).toMatch(/mkdir \/many/);
    // /many and its 100,000 entries, plus the few paths every RUN touches (e.g. /etc, /dev).
    expect(many.added).toBeGreaterThanOrEqual(2 * COUNT + 1);
    expect(many.added).toBeLessThanOrEqual(2 * COUNT + 6);
    expect(many.removed).toBe(0);
  });

  it('shows the chown-only layer as one modified file', () => {
    const layers = report.images[0]!.layers;
    expect(layers[layers.length - 1]).toMatchObject({ added: 0, modified: 1, removed: 0 });
  });
});
