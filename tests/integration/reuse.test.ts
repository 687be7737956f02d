// Warm re-analysis: stages are not built again when nothing they read changed (their images are
// reused by an inputs digest); any change to the context, the Dockerfile or the build args builds
// them again. Without a `# syntax` line the target is reused too, so nothing is built at all.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeDockerfile } from '../../electron/core/project/analyze.ts';
import type { BuildEvent, BuildOptions } from '../../shared/model.ts';
import { engine } from './harness.ts';
import { fixtureDir } from '../support/fixtures.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';

let dockerfile = '';
/** Every project made here, for the cleanup. */
const projects: string[] = [];

async function run(options: BuildOptions = {}) {
  const events: BuildEvent[] = [];
  const a = await analyzeDockerfile(await engine(), { dockerfile, options }, { onEvent: (e) => events.push(e) });
  const reused = events.flatMap((e) => (e.type === 'log' && e.text.includes('is reused') && e.stage !== null ? [e.stage] : []));
  return { a, reused: reused.sort() };
}

describe('stage reuse', () => {
  afterAll(async () => {
    const { docker } = await engine();
    const images = (
      await Promise.all(projects.map((p) => docker.listImages({ filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${p}`] } })))
    ).flat();
    for (const img of images)
      await docker
        .getImage(img.Id)
        .remove({ force: true })
        .catch(() => undefined);
    await removeTempDirs();
  });

  it('reuses unchanged stages, and builds again what a change touches', async () => {
    const dir = await makeTempDir();
    await cp(fixtureDir('named-stages'), dir, { recursive: true });
    dockerfile = join(dir, 'Dockerfile');
    projects.push(dockerfile);

    const first = await run();
    expect(first.reused).toEqual([]);
    const second = await run();
    // The target (stage 2) is always built: its build sends the context the digest covers.
    expect(second.reused).toEqual([0, 1]);
    for (const s of [0, 1, 2]) expect(second.a.report.stages[s].image!.id).toBe(first.a.report.stages[s].image!.id);

    await writeFile(join(dir, 'app.txt'), 'changed content\n');
    const third = await run();
    expect(third.reused).toEqual([]);
    expect(third.a.stages.get(1)!.tree.get('/src/app.out')!.size).toBe('changed content\n'.length);

    const fourth = await run({ buildArgs: { UNUSED: '1' } });
    expect(fourth.reused).toEqual([]);
    const noCache = await run({ noCache: true });
    expect(noCache.reused).toEqual([]);
  });

  it('without a # syntax line, reuses the target too: an unchanged project sends no build', async () => {
    const dir = await makeTempDir();
    await cp(fixtureDir('named-stages'), dir, { recursive: true });
    dockerfile = join(dir, 'Dockerfile');
    projects.push(dockerfile);
    const text = await readFile(dockerfile, 'utf8');
    await writeFile(dockerfile, text.replace(/^# syntax=.*\n/, ''));

    const first = await run();
    expect(first.reused).toEqual([]);
    const builds = (events: BuildEvent[]) => events.filter((e) => e.type === 'vertex' || (e.type === 'log' && e.vertex !== null)).length;
    const events: BuildEvent[] = [];
    const second = await analyzeDockerfile(await engine(), { dockerfile, options: {} }, { onEvent: (e) => events.push(e) });
    expect(
      events
        .filter((e) => e.type === 'log' && e.text.includes('is reused'))
        .map((e) => (e as { stage: number }).stage)
        .sort(),
    ).toEqual([0, 1, 2]);
    // No BuildKit step was reported: no build request was made.
    expect(builds(events)).toBe(0);
    for (const s of [0, 1, 2]) expect(second.report.stages[s].image!.id).toBe(first.a.report.stages[s].image!.id);

    // The Dockerfile changes (a key covers its whole text): every stage is built again.
    await writeFile(dockerfile, `${text.replace(/^# syntax=.*\n/, '')}LABEL touched=1\n`);
    const third = await run();
    expect(third.reused).toEqual([]);
    expect(third.a.report.stages[2].image!.id).not.toBe(first.a.report.stages[2].image!.id);
  });
});
