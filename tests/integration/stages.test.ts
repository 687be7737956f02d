// The other seed cases: named stages and --from=0, --target, COPY --from an external image,
// two stages FROM one earlier stage, and a stage BuildKit skips where the classic builder
// builds it. Each also passes the fidelity check against `docker export`.
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFixture, cleanupFixture, expectFidelity } from './harness.ts';
import { diffTrees } from '../../electron/core/image/diff.ts';

afterAll(async () => {
  for (const name of ['named-stages', 'target', 'external-copy', 'from-stage', 'skip-stage'] as const) await cleanupFixture(name);
});

describe('named-stages', () => {
  it('resolves --from=0 and a case-insensitive stage name, honours .dockerignore', async () => {
    const a = await analyzeFixture('named-stages');
    const r = a.report;
    expect(r.stages.map((s) => s.name)).toEqual([null, 'Builder', null]);
    expect(r.stages[2].dependsOn).toEqual([0, 1]);
    const [fromZero, fromBuilder] = r.copies;
    expect(fromZero).toMatchObject({ stage: 2, from: { kind: 'stage', stage: 0 } });
    expect(fromZero.files).toEqual([
      { path: '/data/zero.txt', sourcePath: '/gen/zero.txt', sourceResolved: true, size: 16, identical: true },
    ]);
    expect(fromBuilder).toMatchObject({ stage: 2, from: { kind: 'stage', stage: 1 } });
    const copied = fromBuilder.files.map((f) => f.path).sort();
    expect(copied).toContain('/app/app.txt');
    expect(copied).toContain('/app/app.out');
    expect(copied).not.toContain('/app/secret.env');
    expect(copied.some((p) => p.startsWith('/app/ignored'))).toBe(false);
    expect(fromBuilder.files.every((f) => f.identical)).toBe(true);
    const final = a.stages.get(2)!.tree;
    expect(final.get('/app/secret.env')).toBeNull();
    for (const s of [0, 1, 2]) await expectFidelity(a, s);
  });
});

describe('target', () => {
  it('builds only the stages --target build needs and reports the others as not needed', async () => {
    const a = await analyzeFixture('target', { target: 'build' });
    const r = a.report;
    expect(r.target).toBe('build');
    expect(r.stages.map((s) => [s.name, s.needed, s.built])).toEqual([
      ['deps', true, true],
      ['build', true, true],
      ['test', false, false],
      ['final', false, false],
    ]);
    const artifact = a.stages.get(1)!.tree.get('/out/artifact.txt')!;
    expect(artifact.size).toBe('lib-a 1.0\ninput for the build stage\n'.length);
    expect(r.sizes.largestBuilder?.stage).toBe(0);
    await expectFidelity(a, 1);
  });
});

describe('external-copy', () => {
  it('attributes COPY --from=<external image> file by file, symlink included', async () => {
    const a = await analyzeFixture('external-copy');
    const r = a.report;
    expect(r.copies).toHaveLength(3);
    for (const c of r.copies) expect(c.from).toEqual({ kind: 'image', ref: 'stagescope-test/assets:1' });
    expect(r.copies[0].files).toEqual([
      expect.objectContaining({ path: '/usr/share/doc/app/LICENSE.txt', sourcePath: '/assets/LICENSE.txt', identical: true }),
    ]);
    const config = r.copies[1].files.map((f) => f.path).sort();
    expect(config).toEqual(['/etc/app/app.toml', '/etc/app/current.toml']);
    expect(r.copies[1].files.every((f) => f.identical)).toBe(true);
    const tool = a.stages.get(0)!.tree.get('/usr/local/bin/tool')!;
    expect(tool.mode & 0o777).toBe(0o755);
    expect(a.stages.get(0)!.tree.get('/etc/app/current.toml')).toMatchObject({ type: 'symlink', linkTarget: 'app.toml' });
    await expectFidelity(a, 0);
  });
});

describe('from-stage', () => {
  it('analyzes two stages FROM one base, a whiteout in one of them, and a final copying both', async () => {
    const a = await analyzeFixture('from-stage');
    const r = a.report;
    expect(r.stages.map((s) => s.base)).toEqual([
      { kind: 'image', ref: 'stagescope-test/busybox:1' },
      { kind: 'stage', ref: 'base', stage: 0 },
      { kind: 'stage', ref: 'base', stage: 0 },
      { kind: 'image', ref: 'stagescope-test/busybox:1' },
    ]);
    const right = r.stages[2];
    const top = right.layers[right.layers.length - 1];
    expect(top.line).toBe(8);
    expect(top.removed).toBe(1);
    expect(top.added).toBe(1);
    // left and right share base's layers: same diffIds
    const baseIds = r.stages[0].layers.map((l) => l.diffId);
    expect(r.stages[1].layers.slice(0, baseIds.length).map((l) => l.diffId)).toEqual(baseIds);
    const d = diffTrees(a.stages.get(1)!.tree, a.stages.get(2)!.tree);
    expect(d.added.map((e) => e.path)).toEqual(['/app/right.txt']);
    expect(d.removed.map((e) => e.path).sort()).toEqual(['/app/base.txt', '/app/left.txt']);
    expect(a.stages.get(3)!.tree.get('/right/base.txt')).toBeNull();
    expect(a.stages.get(3)!.tree.get('/left/base.txt')).not.toBeNull();
    for (const s of [0, 1, 2, 3]) await expectFidelity(a, s);
  });
});

describe('skip-stage', () => {
  it('BuildKit skips the stage the target does not need', async () => {
    const a = await analyzeFixture('skip-stage');
    expect(a.plan.buildkit).toEqual([0, 2]);
    expect(a.plan.classic).toEqual([0, 1, 2]);
    expect(a.report.stages.map((s) => [s.name, s.needed, s.built])).toEqual([
      ['deps', true, true],
      ['unused', false, false],
      ['final', true, true],
    ]);
  });

  it('the classic builder builds every stage up to the target', async () => {
    const a = await analyzeFixture('skip-stage', { builder: 'classic' });
    expect(a.report.builder).toBe('classic');
    expect(a.report.stages.map((s) => [s.name, s.built])).toEqual([
      ['deps', true],
      ['unused', true],
      ['final', true],
    ]);
    expect(a.stages.get(1)!.tree.get('/unused.txt')).not.toBeNull();
    expect(a.report.copies[0].files).toEqual([expect.objectContaining({ path: '/deps.txt', identical: true })]);
    // the classic builder writes other history strings: lines must still be found
    expect(a.report.stages[1].layers.at(-1)!.line).toBe(5);
    await expectFidelity(a, 2);
  });
});
