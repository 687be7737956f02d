// `npm run bench:big [-- --files N --mb M]`: the big-image measurement of issue 15, not run in
// CI. Generates an image of N files and M MB (default 500k files, 5 GB) offline with `docker
// import` of a streamed tar, then measures, each in a child process with its peak RSS:
//   engine:   StageScope reading the image from the engine vs `docker save` to /dev/null
//   registry: StageScope reading it from a loopback registry vs `curl` of its blobs, and vs
//             `curl | gzip -d` (what any client must do: the generator's identical files gzip
//             to almost nothing, so the plain download is no fair reference); then again with
//             the layer cache that run filled (what a second inspect costs)
// Every StageScope run starts with an empty layer cache of its own (STAGESCOPE_CACHE_DIR): with
// the user's cache the registry run would find the layer the engine run stored and fetch nothing.
// Prints one JSON line per measurement. Removes the image, the registry and the caches afterwards.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pack } from 'tar-stream';
import { startRegistry, skopeoPush } from '../tests/support/registry.ts';

const run = promisify(execFile);
const IMAGE = 'stagescope-bench/big:1';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** `cmd` in a child; its wall time and peak RSS (GNU time's %M is not installed: /proc VmHWM via a wrapper). */
async function timed(
  label: string,
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ label: string; seconds: number; peakRssMB: number | null }> {
  const started = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  let peak = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      /* exited */
    }
  }, 100);
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
  clearInterval(poll);
  if (code !== 0) throw new Error(`${label} failed (exit ${code})`);
  return { label, seconds: (performance.now() - started) / 1000, peakRssMB: peak ? Math.round(peak) : null };
}

async function importImage(files: number, totalMB: number): Promise<void> {
  const per = Math.max(1, Math.floor((totalMB * 1024 * 1024) / files));
  const tar = pack();
  const child = spawn('docker', ['import', '-', IMAGE], { stdio: ['pipe', 'ignore', 'inherit'] });
  tar.pipe(child.stdin);
  const chunk = randomBytes(per); // same bytes in every file: generation stays cheap, gzip does not help the registry push much
  for (let i = 0; i < files; i++) {
    const dir = `d${Math.floor(i / 1000)}`;
    if (i % 1000 === 0) tar.entry({ name: `${dir}/`, type: 'directory' });
    await new Promise<void>((res, rej) => tar.entry({ name: `${dir}/f${i}` }, chunk, (e) => (e ? rej(e) : res())));
  }
  tar.finalize();
  await new Promise((r) => child.on('exit', r));
}

const files = arg('files', 500_000);
const mb = arg('mb', 5 * 1024);
process.stderr.write(`bench:big: generating ${files} files, ${mb} MB\n`);
await importImage(files, mb);
const results = [];
const caches: string[] = [];
/** An empty layer cache for one StageScope run. */
function freshCache(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'stagescope-bench-cache-'));
  caches.push(dir);
  return { STAGESCOPE_CACHE_DIR: dir };
}
try {
  results.push(await timed('docker save > /dev/null', 'sh', ['-c', `docker save ${IMAGE} > /dev/null`]));
  results.push(await timed('stagescope inspect (engine)', 'node', ['bin/stagescope.js', 'inspect', IMAGE, '--json'], freshCache()));
  const reg = await startRegistry();
  try {
    await skopeoPush(reg, `docker-daemon:${IMAGE}`, 'bench/big:1').catch(async () => {
      await run('sh', ['-c', `docker save ${IMAGE} -o /tmp/stagescope-bench-big.tar`]);
      await skopeoPush(reg, 'docker-archive:/tmp/stagescope-bench-big.tar', 'bench/big:1');
      await run('rm', ['-f', '/tmp/stagescope-bench-big.tar']);
    });
    const manifest = JSON.parse(
      (
        await run('curl', [
          '-s',
          '-H',
          'Accept: application/vnd.docker.distribution.manifest.v2+json',
          `http://${reg.host}/v2/bench/big/manifests/1`,
        ])
      ).stdout,
    ) as { layers: { digest: string }[] };
    const urls = manifest.layers.map((l) => `http://${reg.host}/v2/bench/big/blobs/${l.digest}`);
    results.push(await timed('curl of the blobs', 'sh', ['-c', urls.map((u) => `curl -sf -o /dev/null ${u}`).join(' && ')]));
    const gunzip = urls.map((u) => `curl -sf ${u} | gzip -d > /dev/null`).join(' && ');
    results.push(await timed('curl | gzip -d of the blobs', 'bash', ['-o', 'pipefail', '-c', gunzip]));
    const source = `registry:${reg.host}/bench/big:1`;
    const cache = freshCache();
    results.push(await timed('stagescope inspect (registry)', 'node', ['bin/stagescope.js', 'inspect', source, '--json'], cache));
    results.push(
      await timed('stagescope inspect (registry, layer cache warm)', 'node', ['bin/stagescope.js', 'inspect', source, '--json'], cache),
    );
  } finally {
    await reg.stop();
  }
} finally {
  await run('docker', ['rmi', IMAGE]).catch(() => undefined);
  for (const dir of caches) rmSync(dir, { recursive: true, force: true });
}
for (const r of results) console.log(JSON.stringify({ files, mb, ...r }));
