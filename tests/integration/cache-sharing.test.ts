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
import type { BuildEvent } from '../../shared/model.ts';
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

const CASES: RealFixture[] = [
  { name: 'grafana' }, // unnamed stages: StageScope names the earlier ones in its copy
  { name: 'spring-petclinic', dockerfile: 'docker/Dockerfile', context: 'app' }, // Dockerfile outside the context
  // `# syntax` line stripped in a copy; `--mount=ro` binds the context. The copy travels in the
  // session's "dockerfile" dir, never in the context, so the bind sees the same files.
  { name: 'docker-cli' },
  { name: 'nextjs' }, // the .dockerignore excludes the Dockerfile: the frontend applies it, COPY . . never sees it
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
      expect(stats.ran).toEqual([]);
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
      expect(stats.ran).toEqual([]);
    });
  }
});
