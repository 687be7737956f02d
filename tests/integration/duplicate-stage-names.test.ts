// Issue 8 item 2: a stage name declared twice. BuildKit builds such a file (docker/buildx's own
// Dockerfile did); StageScope used to refuse it. The model binds names as the engine does and
// every stage image matches what `docker build` makes of the same stage.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDockerfile, type Analysis } from '../../electron/core/project/analyze.ts';
import { PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { removeImages } from '../support/engine.ts';
import { buildWithDockerCli, uniqueTag } from '../support/fixtures.ts';
import { savedFileList } from '../support/save-list.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { engine } from './harness.ts';

const BASE = 'stagescope-test/busybox:1';
const DOCKERFILE = [
  `FROM ${BASE} AS dup`, // 1: stage 0
  'RUN echo first > /first.txt',
  'FROM dup AS between', // 3: stage 1, FROM binds to the declaration above (line 1)
  'RUN echo between > /between.txt',
  `FROM ${BASE} AS dup`, // 5: stage 2
  'RUN echo second > /second.txt',
  'FROM dup AS after', // 7: stage 3, FROM and --from bind to line 5
  'COPY --from=dup /second.txt /copied.txt',
  '',
].join('\n');

const appPaths = async (ref: string) => (await savedFileList(ref)).map((e) => e.path).filter((p) => p.endsWith('.txt'));

let dir: string;
let analysis: Analysis;
const tags: string[] = [];

beforeAll(async () => {
  dir = await makeTempDir();
  await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
  analysis = await analyzeDockerfile(await engine(), {
    dockerfile: join(dir, 'Dockerfile'),
    options: { allStages: true },
    layerCache: null,
  });
});

afterAll(async () => {
  await removeImages(tags);
  const conn = await engine();
  const images = await conn.docker.listImages({ filters: { label: [`${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`] } });
  for (const img of images)
    await conn.docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await removeTempDirs();
});

describe('a stage name declared twice', () => {
  it('is analyzed, with a warning that names both lines', () => {
    expect(analysis.outcome.failure).toBeNull();
    expect(analysis.report.stages.map((s) => s.built)).toEqual([true, true, true, true]);
    expect(analysis.report.warnings.join('\n')).toMatch(/:5: the stage name "dup" is already declared on line 1\./);
  });

  it('binds FROM to the declaration above it, --from and --target to the last one, as BuildKit does', () => {
    const { model } = analysis;
    expect(model.stages[1].base).toMatchObject({ kind: 'stage', stage: 0 });
    expect(model.stages[3].base).toMatchObject({ kind: 'stage', stage: 2 });
    expect(model.edges.find((e) => e.kind === 'copy')?.from).toEqual({ kind: 'stage', stage: 2 });
    expect(analysis.report.copies[0]).toMatchObject({ stage: 3, from: { kind: 'stage', stage: 2 } });
  });

  it('each stage image has the files docker build makes of that stage (the first "dup" included)', async () => {
    const stageTag = (i: number) => analysis.outcome.built.get(i)!.tag;
    expect(await appPaths(stageTag(0))).toEqual(['/first.txt']);
    expect(await appPaths(stageTag(1))).toEqual(['/between.txt', '/first.txt']);
    // The engine's own answers: --target dup is the second declaration; between and after as above.
    for (const [target, index] of [
      ['dup', 2],
      ['between', 1],
      ['after', 3],
    ] as const) {
      const tag = uniqueTag(`dup-ref-${target}`);
      tags.push(tag);
      await buildWithDockerCli(dir, { tag, target });
      expect(await appPaths(stageTag(index)), target).toEqual(await appPaths(tag));
    }
    expect(await appPaths(stageTag(3))).toEqual(['/copied.txt', '/second.txt']);
  });
});
