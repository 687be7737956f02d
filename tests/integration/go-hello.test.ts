// The seed example: a Go hello world built in a Go toolchain image and copied into scratch,
// with a heredoc COPY and `# syntax=docker/dockerfile:1`, which must work offline.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../electron/core/project/analyze.ts';
import type { Report } from '../../shared/model.ts';
import { analyzeFixture, cleanupFixture, expectFidelity, fixtureDockerfile } from './harness.ts';

const run = promisify(execFile);
let analysis: Analysis;

describe('go-hello', () => {
  beforeAll(async () => {
    analysis = await analyzeFixture('go-hello');
  });
  afterAll(() => cleanupFixture('go-hello'));

  it('builds the builder and the final stage despite the offline # syntax line, with a warning', () => {
    const r = analysis.report;
    expect(r.stages.map((s) => [s.name, s.built])).toEqual([
      ['build', true],
      [null, true],
    ]);
    expect(r.stages[0].base).toEqual({ kind: 'image', ref: 'stagescope-test/golang:1.24' });
    expect(r.stages[1].base).toEqual({ kind: 'scratch', ref: null });
    expect(r.stages[1].dependsOn).toEqual([0]);
    expect(r.warnings.some((w) => w.includes('docker/dockerfile:1'))).toBe(true);
    expect(r.target).toBe('stage-1');
  });

  it("finds the binary as the final image's only file, copied byte-identical from the builder", () => {
    const r = analysis.report;
    const final = analysis.stages.get(1)!;
    expect(final.tree.fileCount).toBe(1);
    const hello = final.tree.get('/bin/hello')!;
    expect(hello.type).toBe('file');
    expect(hello.size).toBeGreaterThan(500_000);
    expect(r.copies).toHaveLength(1);
    const copy = r.copies[0];
    expect(copy).toMatchObject({ stage: 1, line: 17, from: { kind: 'stage', ref: 'build', stage: 0 } });
    expect(copy.files).toEqual([{ path: '/bin/hello', sourcePath: '/out/hello', sourceResolved: true, size: hello.size, identical: true }]);
    expect(copy.bytes).toBe(hello.size);
    expect(copy.layer?.index).toBe(0);
  });

  it("maps the builder's own layers to their Dockerfile lines", () => {
    const layers = analysis.report.stages[0].layers;
    const own = layers.filter((l) => l.line !== null);
    // WORKDIR (3), COPY go.mod (4), heredoc COPY (5), RUN go build (14)
    expect(own.map((l) => l.line)).toEqual([3, 4, 5, 14]);
    const heredoc = own.find((l) => l.line === 5)!;
    expect(heredoc.added).toBeGreaterThanOrEqual(1);
    const goBuild = own.find((l) => l.line === 14)!;
    expect(goBuild.createdBy).toContain('go build');
  });

  it('puts the final image next to the builder: much smaller, bytes saved', () => {
    const { sizes, stages } = analysis.report;
    expect(sizes.largestBuilder?.stage).toBe(0);
    expect(sizes.final).toBe(stages[1].image!.size);
    expect(sizes.final).toBeLessThan(sizes.largestBuilder!.size / 20);
    expect(sizes.saved).toBe(sizes.largestBuilder!.size - sizes.final!);
  });

  it('matches docker export for every stage (fidelity)', async () => {
    expect(await expectFidelity(analysis, 1)).toBeGreaterThanOrEqual(1);
    expect(await expectFidelity(analysis, 0)).toBeGreaterThan(1000);
  });

  it('prints the same report from `stagescope analyze --json`, and only JSON on stdout', async () => {
    const { stdout } = await run(
      'node',
      ['bin/stagescope.js', 'analyze', fixtureDockerfile('go-hello').replace(/\/Dockerfile$/, ''), '--json'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const report = JSON.parse(stdout) as Report;
    expect(report.stages.map((s) => s.name)).toEqual(['build', null]);
    expect(report.copies[0].files.map((f) => f.path)).toEqual(['/bin/hello']);
    expect(report.stages[1].fileCount).toBe(1);
    expect(report.engine.version).toMatch(/^\d+\./);
  });

  it('diffs builder against final from the CLI', async () => {
    const { stdout } = await run('node', ['bin/stagescope.js', 'diff', fixtureDockerfile('go-hello'), 'build', '1', '--json'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const diff = JSON.parse(stdout);
    // The builder's /out/hello is the final image's /bin/hello: one move, not an add and a remove.
    expect(diff.moved).toContainEqual(expect.objectContaining({ from: '/out/hello', to: '/bin/hello' }));
    expect(diff.added.map((e: { path: string }) => e.path)).not.toContain('/bin/hello');
    expect(diff.removed.length).toBeGreaterThan(1000);
    expect(diff.bytesRemoved).toBeGreaterThan(diff.bytesAdded);
  });
});
