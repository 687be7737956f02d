// Issue 8 item 1: StageScope's uploaded Dockerfile must not land in the images. For several
// .dockerignore shapes, every stage image StageScope builds has exactly the files (paths, types,
// sizes, link targets, read with `docker save`) of a plain `DOCKER_BUILDKIT=1 docker build` of
// the same target, on BuildKit and on the classic builder.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../electron/core/dockerfile/parse.ts';
import { buildStages, type StagesOutcome } from '../../electron/core/project/build-stages.ts';
import { PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import type { Builder } from '../../shared/model.ts';
import { removeImages } from '../support/engine.ts';
import { buildWithDockerCli, uniqueTag } from '../support/fixtures.ts';
import { savedFileList } from '../support/save-list.ts';
import { useTempDirs } from '../support/temp.ts';
import { engine } from './harness.ts';

const makeTempDir = useTempDirs();
const BASE = 'stagescope-test/busybox:1';

/** Every stage named: StageScope can send the user's own Dockerfile as it is. */
const NAMED = `FROM ${BASE} AS ctx\nCOPY . /ctx\nFROM ${BASE} AS add\nADD . /add\n`;
/** An unnamed stage before the last: it needs a name to be a target, so a copy is uploaded. */
const UNNAMED = `FROM ${BASE}\nCOPY . /ctx\nFROM ${BASE} AS add\nADD . /add\n`;
/** The same stages with names, for the reference build of an unnamed stage (`-f`, outside the context). */
const UNNAMED_REFERENCE = UNNAMED.replace(`FROM ${BASE}\n`, `FROM ${BASE} AS ctx\n`);
const TARGETS = ['ctx', 'add'];

const SHAPES: Record<string, string | null> = {
  none: null,
  'allow-list (* then ! negations)': '*\n!a.txt\n!src\nsrc/*.log\n!src/keep.log\n!Dockerfile\n',
  'negations, excludes itself': 'src/*.log\n!src/keep.log\ndocs\n.dockerignore\n',
  'excludes Dockerfile': 'Dockerfile\n*.Dockerfile\n',
};

async function project(dockerfile: string, ignore: string | null): Promise<string> {
  const dir = await makeTempDir();
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'docs'));
  const files: Record<string, string> = {
    Dockerfile: dockerfile,
    'app.Dockerfile': 'FROM scratch\n',
    'a.txt': 'a\n',
    'b.txt': 'bb\n',
    'src/main.go': 'package main\n',
    'src/skip.log': 'log\n',
    'src/keep.log': 'keep\n',
    'docs/readme.md': '# docs\n',
  };
  if (ignore !== null) files['.dockerignore'] = ignore;
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), body);
  return dir;
}

const line = (e: { path: string; type: string; size: number; linkTarget: string | null }) =>
  `${e.path} ${e.type} ${e.size} ${e.linkTarget ?? ''}`;
const listOf = async (ref: string) => (await savedFileList(ref)).map(line);

const tags: string[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await removeImages(tags);
  const conn = await engine();
  // StageScope's own stage images of these temp projects.
  for (const dir of dirs) {
    const images = await conn.docker.listImages({ filters: { label: [`${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`] } });
    for (const img of images)
      await conn.docker
        .getImage(img.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
});

async function stagescopeBuild(dir: string, builder: Builder): Promise<StagesOutcome> {
  dirs.push(dir);
  const dockerfile = join(dir, 'Dockerfile');
  const model = parseDockerfile(await readFile(dockerfile, 'utf8'), { path: dockerfile });
  const outcome = await buildStages(await engine(), {
    dockerfile,
    contextDir: dir,
    model,
    stages: [0, 1],
    options: { builder },
    reuseDir: null,
  });
  expect(outcome.failure).toBeNull();
  return outcome;
}

/** `docker build --target` of each stage: file lists by target. */
async function reference(dir: string, file?: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const target of TARGETS) {
    const tag = uniqueTag(`ignore-ref-${target}`);
    tags.push(tag);
    await buildWithDockerCli(dir, { tag, target, file });
    out.set(target, await listOf(tag));
  }
  return out;
}

async function stageLists(outcome: StagesOutcome): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [index, target] of TARGETS.entries()) {
    const ours = outcome.built.get(index);
    expect(ours, `stage ${target} built`).toBeDefined();
    out.set(target, await listOf(ours!.tag));
  }
  return out;
}

describe('the uploaded Dockerfile never lands in a stage image', () => {
  for (const [shape, ignore] of Object.entries(SHAPES)) {
    it(`.dockerignore ${shape}: BuildKit and classic stage images have exactly the files of docker build`, async () => {
      const dir = await project(NAMED, ignore);
      const expected = await reference(dir);
      const classic = await stagescopeBuild(dir, 'classic');
      expect(await stageLists(classic)).toEqual(expected);
      const buildkit = await stagescopeBuild(dir, 'buildkit');
      if (shape === 'excludes Dockerfile') {
        // BuildKit reads an uploaded tar whole: the Dockerfile it needs is visible to COPY, and
        // StageScope says so rather than showing a difference silently.
        expect(buildkit.warnings.join('\n')).toMatch(
          /BuildKit applies no \.dockerignore to an uploaded context, so a COPY or ADD of the whole context \(or a RUN --mount bind of it\) also copies Dockerfile/,
        );
      } else {
        expect(buildkit.warnings.join('\n')).not.toMatch(/dockerignore/);
        expect(await stageLists(buildkit)).toEqual(expected);
      }
    });
  }

  it('classic builder, an unnamed stage (a generated copy is uploaded, its name in .dockerignore)', async () => {
    const referenceFile = join(await makeTempDir(), 'Dockerfile');
    await writeFile(referenceFile, UNNAMED_REFERENCE);
    // No .dockerignore: the uploaded one excludes itself too.
    const plain = await project(UNNAMED, null);
    expect(await stageLists(await stagescopeBuild(plain, 'classic'))).toEqual(await reference(plain, referenceFile));
    // The user's .dockerignore lands in COPY . as it does in docker build, but with the generated
    // name appended (the docker CLI does the same for a Dockerfile from stdin): same files, one
    // line more in that one file.
    const ignore = SHAPES['excludes Dockerfile']!;
    const own = await project(UNNAMED, ignore);
    const ours = (await stageLists(await stagescopeBuild(own, 'classic'))).get('ctx')!;
    const theirs = (await reference(own, referenceFile)).get('ctx')!;
    const generated = `.dockerfile.${'x'.repeat(20)}\n`.length;
    expect(ours).toEqual(
      theirs.map((l) => (l.startsWith('/ctx/.dockerignore ') ? `/ctx/.dockerignore file ${ignore.length + generated} ` : l)),
    );
  });
});
