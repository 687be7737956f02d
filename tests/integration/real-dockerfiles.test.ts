// The corpus of real-world Dockerfiles (tests/fixtures/real/*/README.md cite the project, path
// and commit each was modeled on). For every fixture: StageScope's stage list equals the
// engine's own (`docker buildx build --print=targets`), and every stage StageScope builds for a
// target has exactly the files (paths, types, sizes, modes, link targets) of a plain
// `docker build` of that stage, both read from `docker save`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDockerfile, type Analysis } from '../../electron/core/project/analyze.ts';
import { readDockerfile } from '../../electron/core/dockerfile/parse.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import type { DockerfileModel } from '../../shared/model.ts';
import { StageScopeError } from '../../shared/errors.ts';
import { engine } from './harness.ts';
import { removeImages } from '../support/engine.ts';
import { uniqueTag } from '../support/fixtures.ts';
import { createPinnedImage, type PinnedImage } from '../support/pinned-image.ts';
import { readDockerSave } from '../support/save-list.ts';
import {
  buildStageWithCli,
  CliView,
  comparableFromSave,
  comparableFromTree,
  fileListDifferences,
  modelTargets,
  printTargets,
  realPaths,
  type RealFixture,
} from '../support/real-corpus.ts';

interface Case extends RealFixture {
  /** Targets to build: undefined is the default target (the last stage). */
  targets: (string | undefined)[];
  buildArgs?: () => Record<string, string>;
  /** What else the fixture proves, checked on the default target's analysis. */
  check?: (a: Analysis) => void;
}

let pinned: PinnedImage | null = null;
const CLI_PARALLEL = 4;

const CASES: Case[] = [
  // `# syntax` is stripped in a rewritten copy (e2e and dev COPY the context, which never holds it).
  { name: 'docker-cli', targets: [undefined, 'binary'] },
  {
    // A stage name declared twice (dockerd-release); `shell` copies from the last declaration.
    name: 'buildx',
    targets: [undefined, 'shell'],
    check: (a) => expect(a.report.warnings.join('\n')).toMatch(/dockerd-release/),
  },
  {
    name: 'buildkit',
    targets: [undefined],
    buildArgs: () => ({ BINFMT_IMAGE: pinned!.repository, BINFMT_DIGEST: pinned!.digest }),
    check: (a) => {
      const binfmt = a.model.stages.find((s) => s.name === 'binfmt')!;
      expect(binfmt.base).toEqual({ kind: 'image', ref: `${pinned!.repository}@${pinned!.digest}` });
      expect(a.report.stages[binfmt.index].built).toBe(true);
    },
  },
  {
    name: 'nextjs',
    targets: [undefined],
    check: (a) => {
      const builder = a.stages.get(a.model.stages.find((s) => s.name === 'builder')!.index)!.tree;
      expect(builder.get('/app/node_modules/local.txt')).toBeNull();
      expect(builder.get('/app/.next/stale.txt')).toBeNull();
    },
  },
  {
    name: 'uv-multistage',
    dockerfile: 'multistage.Dockerfile',
    targets: [undefined],
    check: (a) => {
      const builder = a.stages.get(0)!.tree;
      expect(builder.get('/app/pyproject.toml')).not.toBeNull();
      expect(builder.get('/app/LICENSE')).toBeNull();
    },
  },
  {
    name: 'spring-petclinic',
    dockerfile: 'docker/Dockerfile',
    context: 'app',
    targets: [undefined],
    check: (a) => {
      const pkg = a.stages.get(1)!.tree;
      expect(pkg.get('/build/src/main/resources/db/schema.sql')).not.toBeNull();
      expect(pkg.get('/build/src/main/resources/db/data.sql')).toBeNull();
    },
  },
  { name: 'ruff', targets: [undefined] },
  { name: 'grafana', targets: [undefined] },
  { name: 'busybox', targets: [undefined, 'rootfs'] },
  {
    name: 'golang-onbuild',
    dockerfile: 'Containerfile',
    targets: [undefined],
    check: (a) => {
      const app = a.stages.get(1)!.tree;
      expect(app.get('/go/src/app/go-wrapper')).not.toBeNull();
      expect(app.get('/go/bin/app')).not.toBeNull();
    },
  },
];

async function removeStageScopeImages(dockerfile: string): Promise<void> {
  const c = await engine();
  const images = await c.docker.listImages({ filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${dockerfile}`] } });
  for (const img of images)
    await c.docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
}

const cliTags: string[] = [];

beforeAll(async () => {
  await engine();
  pinned = await createPinnedImage('binfmt', [
    { name: 'buildkit-qemu-riscv64', content: '#!/bin/sh\necho qemu-riscv64 stand-in\n', mode: 0o755 },
    { name: 'buildkit-qemu-aarch64', content: '#!/bin/sh\necho qemu-aarch64 stand-in\n', mode: 0o755 },
  ]);
});

afterAll(async () => {
  await removeImages(cliTags);
  for (const c of [...CASES, { name: 'pnpm-monorepo' }]) await removeStageScopeImages(realPaths(c).dockerfile);
  if (pinned) await removeImages([pinned.id]);
});

for (const c of CASES) {
  describe(c.name, () => {
    let view: CliView;
    let model: DockerfileModel;
    beforeAll(async () => {
      view = await CliView.create(c);
      model = await readDockerfile(realPaths(c).dockerfile, { buildArgs: c.buildArgs?.() });
    });
    afterAll(async () => view?.dispose());

    it('lists the same stages as the engine', async () => {
      expect(modelTargets(model)).toEqual(await printTargets(view, c.buildArgs?.()));
    });

    for (const target of c.targets) {
      it(`builds ${target ? `--target ${target}` : 'the default target'} with the files of a plain docker build, stage by stage`, async () => {
        const { dockerfile, context } = realPaths(c);
        const buildArgs = c.buildArgs?.();
        const a = await analyzeDockerfile(await engine(), { dockerfile, contextDir: context, options: { target, buildArgs } });
        expect(a.outcome.failure).toBeNull();
        const built = [...a.stages.keys()].sort((x, y) => x - y);
        expect(built.length).toBeGreaterThan(0);
        const tags = new Map<number, string>();
        for (const stage of built) tags.set(stage, uniqueTag(`real-${c.name}-${stage}`));
        cliTags.push(...tags.values());
        // A few at a time: each is all cache hits after StageScope's builds, mostly export work.
        for (let i = 0; i < built.length; i += CLI_PARALLEL) {
          await Promise.all(
            built.slice(i, i + CLI_PARALLEL).map((stage) => buildStageWithCli(view, model, stage, tags.get(stage)!, buildArgs)),
          );
        }
        const saved = await readDockerSave([...tags.values()]);
        // The context and the Dockerfile go over the BuildKit session: nothing to warn about.
        expect(a.report.warnings.join('\n')).not.toMatch(/also copies/);
        for (const stage of built) {
          const ours = comparableFromTree(a.stages.get(stage)!.tree);
          const docker = comparableFromSave(saved.get(`${tags.get(stage)}:latest`)!);
          expect(fileListDifferences(ours, docker), `stage ${stage} (${model.stages[stage].name ?? 'unnamed'})`).toEqual([]);
        }
        if (target === undefined) c.check?.(a);
      });
    }
  });
}

describe('pnpm-monorepo (COPY --parents / --exclude)', () => {
  const fixture: RealFixture = { name: 'pnpm-monorepo' };

  it('the engine cannot parse it, StageScope lists its stages and says which flag it lacks', async () => {
    const view = await CliView.create(fixture);
    try {
      await expect(printTargets(view)).rejects.toThrow(/unknown flag: parents/);
    } finally {
      await view.dispose();
    }
    const { dockerfile, context } = realPaths(fixture);
    const model = await readDockerfile(dockerfile);
    expect(model.stages.map((s) => s.name)).toEqual(['base', 'deps', 'builder', 'app']);
    const err = await analyzeDockerfile(await engine(), { dockerfile, contextDir: context, options: {} }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StageScopeError);
    expect((err as StageScopeError).code).toBe('dockerfile');
    expect((err as StageScopeError).message).toBe(
      "Line 8 uses --parents, which this Docker Engine's built-in Dockerfile frontend does not know.",
    );
  });
});
