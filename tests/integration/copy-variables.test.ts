// Issue 8 item 3: variables in COPY --from sources. With the source path expanded as BuildKit
// does, each copied file is credited to the file it really came from, not to any identical file
// found by content (here a cache copy that sorts first: /cache/m2 before /deps).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDockerfile, type Analysis } from '../../electron/core/project/analyze.ts';
import { PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { engine } from './harness.ts';

const BASE = 'stagescope-test/busybox:1';
const DOCKERFILE = [
  'ARG GDEP=/deps',
  `FROM ${BASE} AS prep`,
  'RUN mkdir -p /cache/m2 /deps/lib && echo jar-a > /cache/m2/a.jar && echo jar-b > /cache/m2/b.jar && cp /cache/m2/*.jar /deps/lib/',
  `FROM ${BASE} AS app`,
  'ARG DEPENDENCY=/deps',
  'COPY --from=prep ${DEPENDENCY}/lib /app/lib', // line 6: a stage ARG
  `FROM ${BASE} AS global`,
  'ARG GDEP',
  'ENV SUB=srv',
  'WORKDIR /$SUB',
  'COPY --from=prep $GDEP/lib lib/', // line 11: a global ARG declared again; relative dest
  '',
].join('\n');

let dir: string;
let analysis: Analysis;

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
  const conn = await engine();
  const images = await conn.docker.listImages({ filters: { label: [`${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`] } });
  for (const img of images)
    await conn.docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await removeTempDirs();
});

const rows = (line: number) =>
  analysis.report.copies.find((c) => c.line === line)!.files.map((f) => [f.path, f.sourcePath, f.sourceResolved, f.identical]);

describe('variables in COPY --from sources', () => {
  it('expands a stage ARG: every file credited to its real source path', () => {
    expect(analysis.outcome.failure).toBeNull();
    expect(rows(6)).toEqual([
      ['/app/lib/a.jar', '/deps/lib/a.jar', true, true],
      ['/app/lib/b.jar', '/deps/lib/b.jar', true, true],
    ]);
  });

  it('expands a global ARG declared again in the stage, with a relative dest under an expanded WORKDIR', () => {
    expect(rows(11)).toEqual([
      ['/srv/lib/a.jar', '/deps/lib/a.jar', true, true],
      ['/srv/lib/b.jar', '/deps/lib/b.jar', true, true],
    ]);
  });
});
