// The measured rules, budgets, growth and dive's CI rules on real builds: `dirty` trips every
// rule (a secret written in one RUN and removed in the next among them), `clean` trips none.
// Both projects are built once (beforeAll) and every check runs on those analyses.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDockerfile, type Analysis } from '../../../electron/core/project/analyze.ts';
import { evaluateChecks } from '../../../electron/core/check/evaluate.ts';
import { DEFAULT_CONFIG, parseConfig } from '../../../electron/core/check/config.ts';
import { parseDiveCi } from '../../../electron/core/check/dive-ci.ts';
import { loadReportFile, reportSizes } from '../../../electron/core/check/baseline.ts';
import { engineHeadReader } from '../../../electron/core/check/layer-heads.ts';
import type { HeadReader } from '../../../electron/core/check/context.ts';
import type { CheckReport } from '../../../shared/check.ts';
import { engine } from '../harness.ts';
import { makeTempDir, removeTempDirs } from '../../support/temp.ts';
import { CLEAN, DIRTY, LINE, removeProjectImages, writeProject } from './projects.ts';

let dirty: Analysis;
let clean: Analysis;
let tmp: string;

const heads = new Map<string, Promise<Map<string, Buffer>>>();
/** The real head reader, once per image: the checks below read the same files every time. */
const readHeads: HeadReader = async (imageId, wanted) => {
  const key = `${imageId}:${wanted.map((w) => w.hash).join(',')}`;
  if (!heads.has(key)) heads.set(key, engineHeadReader((await engine()).docker)(imageId, wanted));
  return heads.get(key)!;
};

async function check(analysis: Analysis, yml = '', extra: Partial<Parameters<typeof evaluateChecks>[0]> = {}): Promise<CheckReport> {
  return evaluateChecks({
    analysis,
    config: yml ? parseConfig(yml, '.stagescope.yml') : DEFAULT_CONFIG,
    projectDir: dirname(analysis.report.dockerfile),
    readHeads,
    ...extra,
  });
}
const failed = (r: CheckReport, rule: string) => r.results.filter((x) => x.rule === rule && !x.passed);
const passed = (r: CheckReport, rule: string) => r.results.some((x) => x.rule === rule && x.passed);

describe('stagescope check rules on the real engine', () => {
  beforeAll(async () => {
    const conn = await engine();
    tmp = await makeTempDir('stagescope-check-');
    const d = await writeProject(join(tmp, 'dirty'), DIRTY);
    const c = await writeProject(join(tmp, 'clean'), CLEAN);
    dirty = await analyzeDockerfile(conn, { dockerfile: d, options: {} });
    clean = await analyzeDockerfile(conn, { dockerfile: c, options: {} });
  });
  afterAll(async () => {
    if (dirty) await removeProjectImages(dirty.report.dockerfile);
    if (clean) await removeProjectImages(clean.report.dockerfile);
    await removeTempDirs();
  });

  it('passes every measured rule on the clean project', async () => {
    const r = await check(clean);
    for (const rule of [
      'package-caches-in-final',
      'hidden-by-rm',
      'secrets-in-layers',
      'toolchain-in-final',
      'whole-stage-copy',
      'duplicate-content',
      'unused-stage',
    ]) {
      expect(
        passed(r, rule),
        `${rule}: ${failed(r, rule)
          .map((f) => f.message)
          .join('; ')}`,
      ).toBe(true);
    }
    expect(r.status).toBe('pass');
    expect(r.summary).toMatchObject({ errors: 0, warnings: 0, infos: 0 });
  });

  it('package-caches-in-final: apt lists with their bytes and the line that wrote them', async () => {
    const [f] = failed(await check(dirty), 'package-caches-in-final');
    expect(f).toMatchObject({ line: LINE.write, bytes: 30 * 1024, severity: 'warn', paths: ['/var/lib/apt/lists/deb_Packages'] });
    expect(f.message).toMatch(/apt package lists: 30\.7 kB/);
  });

  it('hidden-by-rm: bytes written by one RUN and removed by the next still ship', async () => {
    const [f] = failed(await check(dirty), 'hidden-by-rm');
    expect(f.line).toBe(LINE.write);
    expect(f.bytes).toBeGreaterThanOrEqual(2000 * 1024);
    expect(f.paths).toEqual(expect.arrayContaining(['/big.tmp', '/root/.ssh/id_rsa']));
    expect(f.message).toMatch(/^line 8 .* writes 2\.\d+ MB, line 9 .* removes it: 2\.\d+ MB still in the image/);
  });

  it('secrets-in-layers: a key removed in the next RUN, a .pem by its content, never the content itself', async () => {
    const found = failed(await check(dirty), 'secrets-in-layers');
    const paths = found.flatMap((f) => f.paths ?? []);
    expect(paths).toContain('/root/.ssh/id_rsa');
    expect(paths).toContain('/certs/server.pem'); // name + "BEGIN RSA PRIVATE KEY" sniffed from the layer
    expect(paths).not.toContain('/certs/ca.pem'); // a certificate: the sniff clears it
    const key = found.find((f) => f.paths?.[0] === '/root/.ssh/id_rsa')!;
    expect(key).toMatchObject({ line: LINE.write, layer: 1 });
    expect(key.message).toMatch(/written by line 8, removed by line 9, is still in layer 1 of the image\./);
    expect(found.find((f) => f.paths?.[0] === '/certs/server.pem')!.message).toContain('matched by name and content');
    expect(JSON.stringify(found)).not.toMatch(/not-a-real-key|xyz/);
  });

  it('toolchain-in-final: headers with the COPY --from that brought them', async () => {
    const [f] = failed(await check(dirty), 'toolchain-in-final');
    expect(f).toMatchObject({ line: LINE.copyInclude, paths: ['/usr/include/x.h'] });
    expect(f.message).toContain('COPY --from=builder /usr/include /usr/include');
  });

  it('whole-stage-copy: COPY --from=builder / into the final stage', async () => {
    const f = failed(await check(dirty), 'whole-stage-copy');
    expect(f.map((x) => x.line)).toEqual([LINE.copyRoot]);
    expect(f[0].message).toMatch(/copies \/ .* from stage builder: 100\.0 % of its/);
  });

  it('duplicate-content: the same 1.2 MB at several paths', async () => {
    const [f] = failed(await check(dirty), 'duplicate-content');
    expect(f.paths).toEqual(expect.arrayContaining(['/out/app', '/out/app-copy', '/builder-root/out/app']));
    expect(f.bytes).toBe(1200 * 1024 * (f.paths!.length - 1));
  });

  it('unused-stage (info): a stage no target needs', async () => {
    const f = failed(await check(dirty), 'unused-stage');
    expect(f).toEqual([expect.objectContaining({ stage: 'debug', line: LINE.debugFrom, severity: 'info' })]);
  });

  it('rules: off | warn | error set the severity, and an error fails the check', async () => {
    const r = await check(dirty, 'rules:\n  secrets-in-layers: error\n  duplicate-content: off\n');
    expect(failed(r, 'secrets-in-layers').every((f) => f.severity === 'error')).toBe(true);
    expect(r.results.some((x) => x.rule === 'duplicate-content')).toBe(false);
    expect(r.status).toBe('fail');
    const warnOnly = await check(dirty);
    expect(warnOnly.status).toBe('pass'); // warnings do not fail
    expect(warnOnly.results[0].passed).toBe(false); // failures first
  });

  it('every budget key passes and fails on the right side of its limit', async () => {
    const size = dirty.report.stages[dirty.plan.target].image!.size;
    const ok = await check(
      dirty,
      `final:\n  maxSize: ${size}\n  maxLayers: 6\n  minEfficiency: 0.1\n  maxWasted: 1GB\n  forbid: ["/etc/shadow-nope"]\n  require: ["/out/app", "**/x.h"]\nstages:\n  builder: { maxSize: 1GiB }\n`,
    );
    for (const key of ['maxSize', 'maxLayers', 'minEfficiency', 'maxWasted', 'forbid', 'require']) expect(passed(ok, key), key).toBe(true);
    expect(ok.results.filter((x) => x.rule === 'maxSize' && x.stage === 'builder' && x.passed)).toHaveLength(1);
    const bad = await check(
      dirty,
      `final:\n  maxSize: ${size - 1}\n  maxLayers: 5\n  minEfficiency: 0.9\n  maxWasted: 1MB\n  forbid: ["/var/lib/apt/lists/**"]\n  require: ["/app/server"]\nstages:\n  builder: { maxSize: 1kB }\n`,
    );
    for (const key of ['maxSize', 'maxLayers', 'minEfficiency', 'maxWasted', 'forbid', 'require'])
      expect(failed(bad, key).length, key).toBeGreaterThan(0);
    expect(failed(bad, 'forbid')[0]).toMatchObject({ line: LINE.write, paths: ['/var/lib/apt/lists/deb_Packages'] });
    expect(failed(bad, 'require')[0].paths).toEqual(['/app/server']);
    expect(
      failed(bad, 'maxSize')
        .map((x) => x.stage)
        .sort(),
    ).toEqual(['builder', 'stage-2']);
    expect(bad.status).toBe('fail');
    expect(bad.summary.errors).toBe(7);
  });

  it('ignore leaves paths out of waste and the measured rules', async () => {
    const r = await check(dirty, 'final: { maxWasted: 1MB }\nignore: ["/big.tmp", "/var/lib/apt/**"]\n');
    expect(passed(r, 'maxWasted')).toBe(true);
    expect(failed(r, 'package-caches-in-final')).toEqual([]);
    expect(failed(r, 'hidden-by-rm')[0].paths).not.toContain('/big.tmp');
  });

  it('growth against a baseline report file: bytes and percent', async () => {
    const file = join(tmp, 'baseline.json');
    await writeFile(file, JSON.stringify(clean.report));
    const baseline = await loadReportFile(file);
    const grown = await check(dirty, 'growth:\n  final: { maxBytes: 5MB, maxPercent: 10 }\n  stages: { builder: { maxPercent: 25 } }\n', {
      baseline,
    });
    expect(
      failed(grown, 'growth.maxPercent')
        .map((x) => x.stage)
        .sort(),
    ).toEqual(['builder', 'stage-2']);
    expect(grown.growth.find((g) => g.stage === 'stage-2')!.bytes).toBe(
      dirty.report.stages[2].image!.size - clean.report.stages[1].image!.size,
    );
    const same = await check(dirty, 'growth:\n  final: { maxBytes: 0, maxPercent: 0 }\n', {
      baseline: { sizes: reportSizes(dirty.report), label: 'self' },
    });
    expect(passed(same, 'growth.maxBytes') && passed(same, 'growth.maxPercent')).toBe(true);
    const none = await check(dirty, 'growth:\n  final: { maxBytes: 0 }\n');
    expect(none.notes.join(' ')).toContain('no --baseline');
  });

  it("--dive-ci rules use dive's efficiency and say so", async () => {
    const dive = parseDiveCi(
      'rules:\n  lowestEfficiency: 0.99\n  highestWastedBytes: 1MB\n  highestUserWastedPercent: disabled\n',
      '.dive-ci',
    );
    const r = await check(dirty, '', { dive });
    expect(failed(r, 'dive.lowestEfficiency')).toHaveLength(1);
    expect(failed(r, 'dive.highestWastedBytes')[0].bytes).toBeGreaterThanOrEqual(2000 * 1024);
    expect(r.results.some((x) => x.rule === 'dive.highestUserWastedPercent')).toBe(false);
    expect(r.semantics.join(' ')).toContain("dive's semantics");
    const lax = await check(clean, '', { dive: parseDiveCi('rules:\n  lowestEfficiency: 0.5\n', '.dive-ci') });
    expect(passed(lax, 'dive.lowestEfficiency')).toBe(true);
  });
});
