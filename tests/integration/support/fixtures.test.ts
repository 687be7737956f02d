// The seed fixtures are what the README says they are, and the helpers that prepare them for
// an offline reference build keep line numbers true.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerExportFileList, removeImages, requireBaseImages } from '../../support/engine.ts';
import { buildWithDockerCli, copyFixtureOffline, FIXTURE_NAMES, FIXTURES_DIR, fixtureDir, uniqueTag } from '../../support/fixtures.ts';
import { useTempDirs } from '../../support/temp.ts';

const makeTempDir = useTempDirs();

describe('seed fixtures', () => {
  const tags: string[] = [];
  afterAll(() => removeImages(tags));

  it('every fixture folder is listed, has a Dockerfile and is documented', () => {
    const folders = readdirSync(FIXTURES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      // real/ is the corpus of real-world Dockerfiles, each documented in its own README
      // (tests/support/real-corpus.ts), not a seed fixture.
      .filter((name) => name !== 'real')
      .sort();
    expect(folders).toEqual([...FIXTURE_NAMES].sort());
    const readme = readFileSync(join(FIXTURES_DIR, 'README.md'), 'utf8');
    for (const name of FIXTURE_NAMES) {
      expect(existsSync(join(fixtureDir(name), 'Dockerfile')), name).toBe(true);
      expect(readme, name).toContain(`\`${name}/\``);
    }
  });

  it('copyFixtureOffline turns the syntax directive into a comment and keeps line numbers', async () => {
    const original = readFileSync(join(fixtureDir('failing'), 'Dockerfile'), 'utf8').split('\n');
    expect(original[0]).toBe('# syntax=docker/dockerfile:1');
    const dir = await copyFixtureOffline('failing', await makeTempDir());
    const copy = readFileSync(join(dir, 'Dockerfile'), 'utf8').split('\n');
    expect(copy).toHaveLength(original.length);
    expect(copy.join('\n')).not.toMatch(/^#\s*syntax\s*=/im);
    expect(copy[5]).toContain('STAGESCOPE_FIXTURE_FAILURE');
    // The user's file is untouched.
    expect(readFileSync(join(fixtureDir('failing'), 'Dockerfile'), 'utf8').split('\n')[0]).toBe(original[0]);
  });

  it('named-stages: docker itself honours .dockerignore for COPY . (the reference for our context)', async () => {
    await requireBaseImages();
    const tag = uniqueTag('fixture-named');
    tags.push(tag);
    await buildWithDockerCli(await copyFixtureOffline('named-stages', await makeTempDir()), { tag });
    const paths = new Set((await dockerExportFileList(tag)).map((e) => e.path));
    expect(paths.has('/app/app.txt')).toBe(true);
    expect(paths.has('/app/app.out')).toBe(true);
    expect(paths.has('/data/zero.txt')).toBe(true);
    expect(paths.has('/app/secret.env')).toBe(false);
    expect([...paths].some((p) => p.startsWith('/app/ignored'))).toBe(false);
  });
});
