// Figure (4) alone, as `npm run bench` takes it, for work on the re-analysis without a full
// run: `npx tsx bench/figure4.ts [runs]`. The fixture is built (an unmeasured first analysis),
// (2) runs once with an empty layer cache, then (4) `runs` times with the late change. Prints
// CPU times: as the app after a build (the bench's (4)), then with the Diff tab opened, then with
// the diffs of consecutive stages, and of the analysis alone (stagescope analyze).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectEngine } from '../electron/core/docker/connection.ts';
import { removeImagesByLabel } from '../electron/core/docker/images.ts';
import { PROJECT_LABEL } from '../electron/core/project/naming.ts';
import { createFixture } from './fixture.ts';
import { runAnalysisChild } from './measure.ts';

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;

async function main(runs: number): Promise<void> {
  const fixture = await createFixture('full');
  const cacheRoot = await mkdtemp(join(tmpdir(), 'stagescope-figure4-'));
  const nonce = randomBytes(6).toString('hex');
  try {
    await fixture.write(nonce, 1);
    await runAnalysisChild(fixture.dockerfile, await mkdtemp(join(cacheRoot, 'warmup-')));
    const cache = await mkdtemp(join(cacheRoot, 'run-'));
    const full = await runAnalysisChild(fixture.dockerfile, cache);
    console.log(
      `(2) CPU as the app ${full.appCpuMs.toFixed(0)} ms, Diff tab ${full.diffTabCpuMs.toFixed(0)} ms, ` +
        `with consecutive diffs ${full.cpuMs.toFixed(0)} ms, ` +
        `analysis alone ${full.analysisCpuMs.toFixed(0)} ms`,
    );
    for (let i = 0; i < runs; i++) {
      await fixture.write(nonce, 2 + i);
      const re = await runAnalysisChild(fixture.dockerfile, cache);
      console.log(
        `(4) CPU as the app ${re.appCpuMs.toFixed(0)} ms (${pct(re.appCpuMs, full.appCpuMs)} of (2)), ` +
          `Diff tab ${re.diffTabCpuMs.toFixed(0)} ms (${pct(re.diffTabCpuMs, full.diffTabCpuMs)}), ` +
          `with consecutive diffs ${re.cpuMs.toFixed(0)} ms (${pct(re.cpuMs, full.cpuMs)}), ` +
          `analysis alone ${re.analysisCpuMs.toFixed(0)} ms (${pct(re.analysisCpuMs, full.analysisCpuMs)}), ` +
          `${re.layersParsed} layer(s) parsed`,
      );
    }
  } finally {
    const conn = await connectEngine();
    await removeImagesByLabel(conn.docker, `${PROJECT_LABEL}=${resolve(fixture.dockerfile)}`).catch(() => undefined);
    await rm(fixture.dir, { recursive: true, force: true });
    await rm(cacheRoot, { recursive: true, force: true });
  }
}

main(Math.max(1, Number(process.argv[2]) || 3)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
