// Shared steps of the integration tests: analyze a fixture on the real engine, compare a
// stage's tree with `docker export`, and remove what the analysis tagged.
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { connectEngine, type Connection } from '../../electron/core/docker/connection.ts';
import { analyzeDockerfile, type Analysis } from '../../electron/core/project/analyze.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import type { BuildOptions } from '../../shared/model.ts';
import type { FileTree } from '../../electron/core/image/tree.ts';
import { dockerExportFileList, requireBaseImages, requireEngine, withoutEngineArtifacts } from '../support/engine.ts';
import { fixtureDir, type FixtureName } from '../support/fixtures.ts';

let conn: Connection | null = null;

/** The real engine; a missing one fails the test (never a skip). */
export async function engine(): Promise<Connection> {
  await requireEngine();
  await requireBaseImages();
  conn ??= await connectEngine();
  return conn;
}

export function fixtureDockerfile(name: FixtureName): string {
  return resolve(join(fixtureDir(name), 'Dockerfile'));
}

export async function analyzeFixture(name: FixtureName, options: BuildOptions = {}, stages?: number[]): Promise<Analysis> {
  return analyzeDockerfile(await engine(), { dockerfile: fixtureDockerfile(name), options, stages });
}

/** Removes every image the analyses of this fixture tagged (by StageScope's labels). */
export async function cleanupFixture(name: FixtureName): Promise<void> {
  const c = await engine();
  const images = await c.docker.listImages({
    filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${fixtureDockerfile(name)}`] },
  });
  for (const img of images)
    await c.docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
}

type Listed = { path: string; type: string; size: number; linkTarget: string | null };

function treeList(tree: FileTree): Listed[] {
  const out: Listed[] = [];
  const walk = (id: number) => {
    for (const child of tree.childIds(id)) {
      if (tree.isGhost(child)) continue;
      const m = tree.metaOf(child);
      // docker export writes the second name of a hardlinked file as a link; which name comes
      // first is the engine's choice, so both sides compare hardlinks as files.
      const type = m.type === 'hardlink' ? 'file' : m.type === 'dir' ? 'directory' : m.type;
      out.push({
        path: tree.pathOf(child),
        type,
        size: type === 'file' ? m.size : 0,
        linkTarget: m.type === 'symlink' ? m.linkTarget : null,
      });
      walk(child);
    }
  };
  walk(0);
  return out;
}

/**
 * Fidelity: the aggregated tree equals the file list of `docker export` (paths, types, sizes,
 * link targets), apart from what the engine adds to every container.
 */
export async function expectFidelity(analysis: Analysis, stage: number): Promise<number> {
  const analyzed = analysis.stages.get(stage);
  expect(analyzed, `stage ${stage} analyzed`).toBeDefined();
  const exported = withoutEngineArtifacts(await dockerExportFileList(analyzed!.imageId));
  const exportedFiles = new Map(exported.map((e) => [e.path, e]));
  const hardlinkSizes = new Map<string, number>();
  for (const e of exported) if (e.type === 'file') hardlinkSizes.set(e.path, e.size);
  const expected = exported
    .map((e) => {
      const type = e.type === 'hardlink' ? 'file' : e.type === 'other' ? 'special' : e.type;
      const size = e.type === 'hardlink' ? (hardlinkSizes.get(e.linkTarget ?? '') ?? 0) : e.type === 'file' ? e.size : 0;
      return { path: e.path, type, size, linkTarget: e.type === 'symlink' ? e.linkTarget : null };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
  const actual = withoutEngineArtifacts(treeList(analyzed!.tree))
    .map((e) => (['char', 'block', 'fifo'].includes(e.type) ? { ...e, type: 'special' } : e))
    .sort((a, b) => a.path.localeCompare(b.path));
  expect(actual).toEqual(expected);
  return exportedFiles.size;
}
