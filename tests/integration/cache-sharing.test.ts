// Issue 8 item 5: StageScope builds the Dockerfile the user wrote, so its builds and a plain
// `docker build` of the same target share BuildKit's cache: right after `stagescope analyze`,
// `docker build` runs no step again, and the other way round. Each case gets a fresh copy of a
// corpus fixture with a new `ARG` after every FROM, so no earlier run's cache can help.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeDockerfile } from '../../electron/core/project/analyze.ts';
import { readDockerfile } from '../../electron/core/dockerfile/parse.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import type { BuildEvent, DockerfileModel } from '../../shared/model.ts';
import { engine } from './harness.ts';
import { removeImages } from '../support/engine.ts';
import { uniqueTag } from '../support/fixtures.ts';
import { buildStageWithCli, cacheStats, CliView, REAL_FIXTURES_DIR, type RealFixture } from '../support/real-corpus.ts';

interface Copy {
  dockerfile: string;
  context: string;
}

const dirs: string[] = [];
const cliTags: string[] = [];
const dockerfiles: string[] = [];

/** A copy of the fixture whose every stage declares a new ARG: all RUN cache keys are new. */
async function freshCopy(f: RealFixture): Promise<Copy> {
  const dir = await mkdtemp(join(tmpdir(), `stagescope-cache-${f.name}-`));
  dirs.push(dir);
  const fixtureRoot = join(dir, f.name);
  await cp(join(REAL_FIXTURES_DIR, f.name), fixtureRoot, { recursive: true });
  const dockerfile = join(fixtureRoot, f.dockerfile ?? 'Dockerfile');
  const nonce = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const text = await readFile(dockerfile, 'utf8');
  await writeFile(dockerfile, text.replace(/^(FROM (?!scratch\b).*)$/gim, `$1\nARG STAGESCOPE_CACHE_TEST=${nonce}`));
  dockerfiles.push(dockerfile);
  return { dockerfile, context: join(fixtureRoot, f.context ?? '.') };
}

/**
 * Stages with a step that reads the whole context: `COPY .`/`ADD .` or a bind mount of the
 * context root. Their uploaded tar is not the folder a `docker build` reads when StageScope must
 * send a rewritten Dockerfile or the `.dockerignore` excludes the Dockerfile (README: "Build
 * cache"), so those steps (and the steps after them) may run again; nothing else may.
 */
function wholeContextStages(model: DockerfileModel): Set<string> {
  const out = new Set<string>();
  for (const stage of model.stages) {
    const reads = stage.instructions.some((i) => {
      const text = i.text.replace(/\\?\r?\n/g, ' ');
      if (/^(COPY|ADD)\s/i.test(text) && !/--from=/i.test(text)) return /\s\.\/?\s/.test(` ${text.split(/\s+/).slice(1, -1).join(' ')} `);
      if (/^RUN\s/i.test(text)) {
        return [...text.matchAll(/--mount=(\S+)/g)].some(([, opts]) => {
          const o = Object.fromEntries(opts.split(',').map((kv) => kv.split('=')));
          const type = o.type ?? 'bind';
          const source = o.source ?? o.src ?? '.';
          return type === 'bind' && !o.from && ['.', './', '/'].includes(source);
        });
      }
      return false;
    });
    if (reads) out.add(stage.name?.toLowerCase() ?? `stage-${stage.index}`);
  }
  return out;
}

const stageOfStep = (step: string) => /^\[([^\] ]+) \d+\/\d+\]/.exec(step)?.[1] ?? '';

/** Final status per build step (not FROM, not [internal]) of StageScope's builds. */
function stepStatuses(events: BuildEvent[]): { steps: number; cached: number; ran: string[] } {
  const last = new Map<string, { name: string; status: string }>();
  for (const e of events)
    if (e.type === 'vertex' && /^\[[^\]]*\d+\/\d+\] (?!FROM )/.test(e.name)) last.set(e.id, { name: e.name, status: e.status });
  const all = [...last.values()];
  return {
    steps: all.length,
    cached: all.filter((s) => s.status === 'cached').length,
    ran: all.filter((s) => s.status !== 'cached').map((s) => s.name),
  };
}

afterAll(async () => {
  await removeImages(cliTags);
  const c = await engine();
  for (const d of dockerfiles) {
    const images = await c.docker.listImages({ filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${d}`] } });
    for (const img of images)
      await c.docker
        .getImage(img.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** `all`: every step is shared; `partly`: steps reading the whole context may run again. */
const CASES: (RealFixture & { shared: 'all' | 'partly' })[] = [
  { name: 'grafana', shared: 'all' }, // unnamed stages: StageScope names the earlier ones in its copy
  { name: 'spring-petclinic', dockerfile: 'docker/Dockerfile', context: 'app', shared: 'all' }, // Dockerfile outside the context
  { name: 'docker-cli', shared: 'partly' }, // `# syntax` line stripped in a copy that travels in the context; `--mount=ro` binds the context
  { name: 'nextjs', shared: 'partly' }, // the .dockerignore excludes the Dockerfile, which BuildKit then sees in `COPY . .`
];

describe('StageScope and docker build share the build cache', () => {
  for (const f of CASES) {
    it(`${f.name}: docker build right after stagescope analyze runs no step again`, async () => {
      const copy = await freshCopy(f);
      const events: BuildEvent[] = [];
      const a = await analyzeDockerfile(
        await engine(),
        { dockerfile: copy.dockerfile, contextDir: copy.context, options: {} },
        { onEvent: (e) => events.push(e) },
      );
      expect(a.outcome.failure).toBeNull();
      expect(stepStatuses(events).ran.length).toBeGreaterThan(0); // the copy really was new
      const model = await readDockerfile(copy.dockerfile);
      const view = await CliView.forPaths(copy.dockerfile, copy.context, f.name);
      const tag = uniqueTag(`cache-${f.name}`);
      cliTags.push(tag);
      const { progress } = await buildStageWithCli(view, model, model.stages.length - 1, tag);
      await view.dispose();
      const stats = cacheStats(progress);
      console.log(`CACHE ${f.name} stagescope->docker: ${stats.cached}/${stats.steps} cached; ran: ${stats.ran.join(' | ')}`);
      expect(stats.steps).toBeGreaterThan(0);
      const mayRun = wholeContextStages(model);
      expect(stats.ran.filter((step) => !mayRun.has(stageOfStep(step)))).toEqual([]);
      if (f.shared === 'all') expect(stats.ran).toEqual([]);
    });

    it(`${f.name}: stagescope analyze right after docker build runs no step again`, async () => {
      const copy = await freshCopy(f);
      const model = await readDockerfile(copy.dockerfile);
      const view = await CliView.forPaths(copy.dockerfile, copy.context, f.name);
      const tag = uniqueTag(`cache-${f.name}`);
      cliTags.push(tag);
      const first = cacheStats((await buildStageWithCli(view, model, model.stages.length - 1, tag)).progress);
      await view.dispose();
      expect(first.ran.length).toBeGreaterThan(0);
      const events: BuildEvent[] = [];
      const a = await analyzeDockerfile(
        await engine(),
        { dockerfile: copy.dockerfile, contextDir: copy.context, options: {} },
        { onEvent: (e) => events.push(e) },
      );
      expect(a.outcome.failure).toBeNull();
      const stats = stepStatuses(events);
      console.log(`CACHE ${f.name} docker->stagescope: ${stats.cached}/${stats.steps} cached; ran: ${stats.ran.join(' | ')}`);
      expect(stats.steps).toBeGreaterThan(0);
      const mayRun = wholeContextStages(model);
      expect(stats.ran.filter((step) => !mayRun.has(stageOfStep(step)))).toEqual([]);
      if (f.shared === 'all') expect(stats.ran).toEqual([]);
    });
  }
});
