// Issue 8 items 1 and 5: StageScope's uploaded Dockerfile must not land in the images, and its
// builds share BuildKit's cache with a plain `docker build`. For several .dockerignore shapes,
// every stage image StageScope builds has exactly the files (paths, types, sizes, modes, link
// targets, content hashes, read with `docker save`) of a plain `DOCKER_BUILDKIT=1 docker build`
// of the same target, on BuildKit (context and Dockerfile sent over the build session) and on
// the classic builder (a tar); a `RUN --mount=type=bind` of the context lists the same files.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../electron/core/dockerfile/parse.ts';
import { buildStages, type StagesOutcome } from '../../electron/core/project/build-stages.ts';
import { PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import type { BuildEvent, Builder } from '../../shared/model.ts';
import { removeImages } from '../support/engine.ts';
import { buildWithDockerCli, uniqueTag } from '../support/fixtures.ts';
import { savedFileList } from '../support/save-list.ts';
import { useTempDirs } from '../support/temp.ts';
import { engine } from './harness.ts';

const makeTempDir = useTempDirs();
const BASE = 'stagescope-test/busybox:1';

/** The bind-mount stage: BuildKit only (the classic builder has no RUN --mount). */
const MOUNT = `FROM ${BASE} AS mount\nRUN --mount=type=bind,target=/m ls -la /m > /list && find /m | sort > /found\n`;
/** Every stage named: StageScope can send the user's own Dockerfile as it is. */
const NAMED = `FROM ${BASE} AS ctx\nCOPY . /ctx\nFROM ${BASE} AS add\nADD . /add\n${MOUNT}`;
/** An unnamed stage before the last: it needs a name to be a target, so a copy is uploaded. */
const UNNAMED = `FROM ${BASE}\nCOPY . /ctx\nFROM ${BASE} AS add\nADD . /add\n`;
/** The same stages with names, for the reference build of an unnamed stage (`-f`, outside the context). */
const UNNAMED_REFERENCE = UNNAMED.replace(`FROM ${BASE}\n`, `FROM ${BASE} AS ctx\n`);
const TARGETS = ['ctx', 'add', 'mount'];
/** Stages StageScope builds, by builder (in NAMED's order). */
const STAGES: Record<Builder, number[]> = { classic: [0, 1], buildkit: [0, 1, 2] };

const SHAPES: Record<string, string | null> = {
  none: null,
  'allow-list (* then ! negations)': '*\n!a.txt\n!src\nsrc/*.log\n!src/keep.log\n!Dockerfile\n',
  'negations, excludes itself': 'src/*.log\n!src/keep.log\ndocs\n.dockerignore\n',
  'excludes Dockerfile': 'Dockerfile\n*.Dockerfile\n',
};

async function project(dockerfile: string, ignore: string | null, nonce = ''): Promise<string> {
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
    'src/run.sh': `#!/bin/sh\necho ${nonce}\n`,
  };
  if (ignore !== null) files['.dockerignore'] = ignore;
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), body, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  // A symlink is sent as a link. (No hard link: the classic tar sends two files, and BuildKit's
  // COPY of a hard link can leave a randomly named `.tmp.N` beside it even in docker build.)
  await symlink('a.txt', join(dir, 'a.link'));
  return dir;
}

const line = (e: { path: string; type: string; size: number; mode: number; linkTarget: string | null; sha256?: string }) =>
  `${e.path} ${e.type} ${e.size} ${e.mode.toString(8)} ${e.linkTarget ?? ''} ${e.sha256 ?? ''}`;
const listOf = async (ref: string) => (await savedFileList(ref, { hashes: true })).map(line);

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

async function stagescopeBuild(dir: string, builder: Builder, events: BuildEvent[] = []): Promise<StagesOutcome> {
  dirs.push(dir);
  const dockerfile = join(dir, 'Dockerfile');
  const model = parseDockerfile(await readFile(dockerfile, 'utf8'), { path: dockerfile });
  const outcome = await buildStages(
    await engine(),
    {
      dockerfile,
      contextDir: dir,
      model,
      stages: STAGES[builder].filter((i) => i < model.stages.length),
      options: { builder },
      reuseDir: null,
    },
    { onEvent: (e) => events.push(e) },
  );
  expect(outcome.failure).toBeNull();
  return outcome;
}

/** The build steps (not FROM, not [internal]) StageScope's builds ran rather than took from the cache. */
function stepsRun(events: BuildEvent[]): { steps: number; ran: string[] } {
  const last = new Map<string, { name: string; status: string }>();
  for (const e of events)
    if (e.type === 'vertex' && /^\[[^\]]*\d+\/\d+\] (?!FROM )/.test(e.name)) last.set(e.id, { name: e.name, status: e.status });
  const all = [...last.values()];
  return { steps: all.length, ran: all.filter((s) => s.status !== 'cached').map((s) => s.name) };
}

/** `docker build --progress=plain` of a target: the steps it ran (not CACHED). */
async function cliStepsRun(dir: string, target: string): Promise<{ steps: number; ran: string[] }> {
  const tag = uniqueTag(`ignore-cache-${target}`);
  tags.push(tag);
  const { stderr } = await promisify(execFile)(
    'docker',
    ['build', '--progress=plain', '--network', 'none', '-t', tag, '--target', target, dir],
    {
      env: { ...process.env, DOCKER_BUILDKIT: '1' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const names = new Map<string, string>();
  const cached = new Set<string>();
  for (const l of stderr.split('\n')) {
    const step = /^#(\d+) (\[[^\]]*\d+\/\d+\] (?!FROM ).*)$/.exec(l);
    if (step) names.set(step[1], step[2]);
    const hit = /^#(\d+) CACHED$/.exec(l);
    if (hit) cached.add(hit[1]);
  }
  return { steps: names.size, ran: [...names].filter(([id]) => !cached.has(id)).map(([, name]) => name) };
}

/** `docker build --target` of each stage: file lists by target. */
async function reference(dir: string, file?: string, targets = TARGETS): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const target of targets) {
    const tag = uniqueTag(`ignore-ref-${target}`);
    tags.push(tag);
    await buildWithDockerCli(dir, { tag, target, file });
    out.set(target, await listOf(tag));
  }
  return out;
}

async function stageLists(outcome: StagesOutcome, stages: number[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const index of stages) {
    const target = TARGETS[index];
    const ours = outcome.built.get(index);
    expect(ours, `stage ${target} built`).toBeDefined();
    out.set(target, await listOf(ours!.tag));
  }
  return out;
}

/**
 * The real engine behind a unix socket that answers `POST /session` with 404, as an engine
 * without BuildKit sessions does (podman's Docker API): everything else passes through.
 */
async function sessionlessEngine(dir: string): Promise<{ docker: Dockerode; refused: () => number; stop: () => Promise<void> }> {
  const path = join(dir, 'docker.sock');
  let refused = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect('/var/run/docker.sock');
    sockets.add(client).add(upstream);
    // Requests on a kept-alive connection start a chunk of their own (no pipelining).
    client.on('data', (chunk: Buffer) => {
      if (/^POST \/(v[\d.]+\/)?session\b/.test(chunk.toString('latin1', 0, 64))) {
        refused++;
        const body = '{"message":"page not found"}';
        client.write(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      } else upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    docker: new Dockerode({ socketPath: path }),
    refused: () => refused,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const only = (lists: Map<string, string[]>, targets: string[]) => new Map(targets.map((t) => [t, lists.get(t)]));

describe('the uploaded Dockerfile never lands in a stage image', () => {
  for (const [shape, ignore] of Object.entries(SHAPES)) {
    it(`.dockerignore ${shape}: BuildKit and classic stage images have exactly the files of docker build`, async () => {
      const dir = await project(NAMED, ignore);
      const expected = await reference(dir);
      const classic = await stagescopeBuild(dir, 'classic');
      expect(await stageLists(classic, STAGES.classic)).toEqual(only(expected, ['ctx', 'add']));
      const events: BuildEvent[] = [];
      const buildkit = await stagescopeBuild(dir, 'buildkit', events);
      expect(buildkit.warnings.join('\n')).not.toMatch(/dockerignore/);
      expect(await stageLists(buildkit, STAGES.buildkit)).toEqual(expected);
      // Item 5: right after docker build, every step is a cache hit, context-reading ones included.
      const run = stepsRun(events);
      expect(run.steps).toBeGreaterThanOrEqual(3);
      expect(run.ran).toEqual([]);
    });
  }

  it('docker build right after StageScope (BuildKit) runs no step again, context-reading steps included', async () => {
    // A project no earlier build has seen: the first build really runs its steps.
    const dir = await project(NAMED, SHAPES['negations, excludes itself'], `${process.pid}-${Date.now()}-${Math.random()}`);
    // A file of many chunks (sent 32 KiB at a time, with backpressure): its bytes arrive whole.
    const big = randomBytes(3 * 1024 * 1024 + 123);
    await writeFile(join(dir, 'big.bin'), big);
    const events: BuildEvent[] = [];
    const outcome = await stagescopeBuild(dir, 'buildkit', events);
    expect(stepsRun(events).ran.length).toBeGreaterThan(0);
    const copied = (await savedFileList(outcome.built.get(0)!.tag, { hashes: true })).find((e) => e.path === '/ctx/big.bin');
    expect(copied?.sha256).toBe(createHash('sha256').update(big).digest('hex'));
    for (const target of TARGETS) {
      const cli = await cliStepsRun(dir, target);
      expect(cli.steps).toBeGreaterThan(0);
      expect(cli.ran, target).toEqual([]);
    }
  });

  it('an engine without build sessions: BuildKit gets the tar as before, and StageScope warns', async () => {
    const engineless = await sessionlessEngine(await makeTempDir());
    try {
      const dir = await project(NAMED, SHAPES['excludes Dockerfile']);
      dirs.push(dir);
      const dockerfile = join(dir, 'Dockerfile');
      const model = parseDockerfile(await readFile(dockerfile, 'utf8'), { path: dockerfile });
      const outcome = await buildStages(
        { ...(await engine()), docker: engineless.docker },
        { dockerfile, contextDir: dir, model, stages: [0], options: { builder: 'buildkit' }, reuseDir: null },
      );
      expect(outcome.failure).toBeNull();
      expect(engineless.refused()).toBeGreaterThan(0);
      expect(outcome.warnings.join('\n')).toMatch(
        /BuildKit applies no \.dockerignore to an uploaded context, so a COPY or ADD of the whole context \(or a RUN --mount bind of it\) also copies Dockerfile/,
      );
      const files = await listOf(outcome.built.get(0)!.tag);
      expect(files.some((l) => l.startsWith('/ctx/Dockerfile '))).toBe(true);
    } finally {
      await engineless.stop();
    }
  });

  it('an unnamed stage (a rewritten copy is uploaded): BuildKit images have exactly the files of docker build', async () => {
    const referenceFile = join(await makeTempDir(), 'Dockerfile');
    await writeFile(referenceFile, UNNAMED_REFERENCE);
    for (const ignore of [null, SHAPES['excludes Dockerfile']]) {
      const dir = await project(UNNAMED, ignore);
      const buildkit = await stagescopeBuild(dir, 'buildkit');
      expect(buildkit.warnings).toEqual([]);
      expect(await stageLists(buildkit, [0, 1])).toEqual(await reference(dir, referenceFile, ['ctx', 'add']));
    }
  });

  it('classic builder, an unnamed stage (a generated copy is uploaded, its name in .dockerignore)', async () => {
    const referenceFile = join(await makeTempDir(), 'Dockerfile');
    await writeFile(referenceFile, UNNAMED_REFERENCE);
    // No .dockerignore: the uploaded one excludes itself too.
    const plain = await project(UNNAMED, null);
    expect(await stageLists(await stagescopeBuild(plain, 'classic'), [0, 1])).toEqual(
      await reference(plain, referenceFile, ['ctx', 'add']),
    );
    // The user's .dockerignore lands in COPY . as it does in docker build, but with the generated
    // name appended (the docker CLI does the same for a Dockerfile from stdin): same files, one
    // line more in that one file.
    const ignore = SHAPES['excludes Dockerfile']!;
    const own = await project(UNNAMED, ignore);
    const ours = (await stageLists(await stagescopeBuild(own, 'classic'), [0])).get('ctx')!;
    const theirs = (await reference(own, referenceFile, ['ctx'])).get('ctx')!;
    const generated = `.dockerfile.${'x'.repeat(20)}\n`.length;
    // That file's line: path, type and size (its hash differs with the line added).
    const ignoreLine = (l: string) => (l.startsWith('/ctx/.dockerignore ') ? l.split(' ').slice(0, 3).join(' ') : l);
    expect(ours.map(ignoreLine)).toEqual(
      theirs.map((l) => (l.startsWith('/ctx/.dockerignore ') ? `/ctx/.dockerignore file ${ignore.length + generated}` : l)),
    );
  });
});
