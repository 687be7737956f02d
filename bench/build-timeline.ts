// Where the time of figure (5) goes: one cold build of the final target, then buildStages of
// every stage (each with a fresh nonce), with a timeline of every build request: when it was
// sent, when its session came up, each BuildKit vertex's start and end (the engine's own
// timestamps, from the progress stream), the export vertices, the end of the response and the
// stage-done event; and the machine's CPU (all cores, and dockerd's) in 250 ms slices.
// The engine's client is tapped (docker-modem's dial), the code under test is unchanged.
//
// `--only sequential`: a cold build of the final target, then each other stage alone, one after
// the other (all its steps are cache hits then): what each extra stage costs the engine by itself.
// `--context-mb N`: N MiB of random files in the context, copied by the first stage (`COPY .`).
//
//   npx tsx bench/build-timeline.ts [--engine REPO_ROOT] [--rounds N] [--only final|stages|sequential] [--context-mb N]
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { connectEngine } from '../electron/core/docker/connection.ts';
import { decodeStatus, timestampMs } from '../electron/core/docker/buildkit-proto.ts';
import { removeImagesByLabel } from '../electron/core/docker/images.ts';
import { PROJECT_LABEL } from '../electron/core/project/naming.ts';
import type { buildStages as BuildStages } from '../electron/core/project/build-stages.ts';
import { readDockerfile } from '../electron/core/dockerfile/parse.ts';
import type { BuildEvent, DockerfileModel } from '../shared/model.ts';
import { createFixture } from './fixture.ts';
import { timeFinalBuild } from './measure.ts';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));

interface Vertex {
  name: string;
  started?: number;
  completed?: number;
  cached?: boolean;
}
interface Request {
  target: string;
  sent: number;
  answered?: number;
  ended?: number;
  vertices: Map<string, Vertex>;
}

/** Machine CPU (busy share of all cores) and dockerd's, per slice. */
function cpuSampler(sliceMs: number) {
  const total = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + f[4];
    return { busy: f.reduce((a, b) => a + b, 0) - idle, all: f.reduce((a, b) => a + b, 0) };
  };
  const dockerd = readdirSync('/proc').find((p) => /^\d+$/.test(p) && readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'dockerd');
  const dockerdTicks = () => {
    if (!dockerd) return 0;
    const f = readFileSync(`/proc/${dockerd}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]);
  };
  const samples: { t: number; busy: number; dockerd: number }[] = [];
  let last = { ...total(), d: dockerdTicks() };
  const timer = setInterval(() => {
    const now = { ...total(), d: dockerdTicks() };
    const all = now.all - last.all || 1;
    // Shares of one core: 2.0 = both cores busy on a 2-core machine.
    const cores = all / (sliceMs / 10);
    samples.push({ t: Date.now(), busy: ((now.busy - last.busy) / all) * cores, dockerd: ((now.d - last.d) / all) * cores });
    last = now;
  }, sliceMs);
  return { samples, stop: () => clearInterval(timer) };
}

function tap(docker: { modem: unknown }, requests: Request[], sessions: number[]): void {
  // docker-modem's dial: every engine request of this process goes through it.
  const modem = docker.modem as { dial(opts: Record<string, unknown>, cb: (err: unknown, res: unknown) => void): void };
  const dial = modem.dial.bind(modem);
  modem.dial = (opts, cb) => {
    if (opts.path === '/session') return dial(opts, (err, res) => (sessions.push(Date.now()), cb(err, res)));
    if (opts.path !== '/build?') return dial(opts, cb);
    const query = opts.options as Record<string, string>;
    const req: Request = { target: query.target ?? '(default)', sent: Date.now(), vertices: new Map() };
    requests.push(req);
    return dial(opts, (err, res) => {
      req.answered = Date.now();
      if (err || !res) return cb(err, res);
      let buffered = '';
      const through = new Transform({
        transform(chunk: Buffer, _enc, done) {
          buffered += chunk.toString('utf8');
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (!line) continue;
            const msg = JSON.parse(line) as { id?: string; aux?: unknown };
            if (msg.id !== 'moby.buildkit.trace' || typeof msg.aux !== 'string') continue;
            for (const pv of decodeStatus(msg.aux).vertexes) {
              const v = req.vertices.get(pv.digest) ?? { name: pv.name ?? '' };
              v.started ??= timestampMs(pv.started);
              v.completed ??= timestampMs(pv.completed);
              v.cached ||= Boolean(pv.cached);
              req.vertices.set(pv.digest, v);
            }
          }
          done(null, chunk);
        },
        flush(done) {
          req.ended = Date.now();
          done();
        },
      });
      (res as NodeJS.ReadableStream).pipe(through);
      cb(null, through);
    });
  };
}

const s = (t: number | undefined, t0: number) => (t === undefined ? '   -  ' : ((t - t0) / 1000).toFixed(2).padStart(6));

function report(
  title: string,
  t0: number,
  end: number,
  requests: Request[],
  sessions: number[],
  stageDone: Map<string, number>,
  cpu: ReturnType<typeof cpuSampler>['samples'],
): void {
  console.log(`\n=== ${title}: ${((end - t0) / 1000).toFixed(2)} s, load ${loadavg()[0].toFixed(1)}`);
  console.log(`sessions up at: ${sessions.map((t) => s(t, t0)).join(' ')}`);
  for (const r of requests) {
    console.log(
      `-- target ${r.target}: sent ${s(r.sent, t0)}, answered ${s(r.answered, t0)}, ended ${s(r.ended, t0)}, stage-done ${s(stageDone.get(r.target), t0)}`,
    );
    const vs = [...r.vertices.values()].sort((a, b) => (a.started ?? a.completed ?? 0) - (b.started ?? b.completed ?? 0));
    for (const v of vs) {
      const dur = v.started !== undefined && v.completed !== undefined ? ((v.completed - v.started) / 1000).toFixed(2) : '';
      console.log(`   ${s(v.started, t0)} ${s(v.completed, t0)} ${dur.padStart(5)} ${v.cached ? 'CACHED ' : ''}${v.name.slice(0, 90)}`);
    }
  }
  const line = cpu.filter((c) => c.t >= t0 && c.t <= end + 250);
  const sum = (k: 'busy' | 'dockerd') => line.reduce((a, c) => a + c[k] * 0.25, 0);
  console.log(`cpu seconds: machine ${sum('busy').toFixed(1)}, dockerd ${sum('dockerd').toFixed(1)}`);
  console.log(`cpu (cores busy, dockerd) per 250 ms from t0:`);
  for (let i = 0; i < line.length; i += 8) {
    console.log(
      `   ${s(line[i].t - 250, t0)}: ${line
        .slice(i, i + 8)
        .map((c) => `${c.busy.toFixed(1)}/${c.dockerd.toFixed(1)}`)
        .join(' ')}`,
    );
  }
}

async function main(argv: string[]): Promise<void> {
  let root = REPO;
  let rounds = 1;
  let only: string | null = null;
  let contextMb = 0;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--engine') root = resolve(argv[++i]);
    else if (argv[i] === '--rounds') rounds = Number(argv[++i]) || 1;
    else if (argv[i] === '--only') only = argv[++i];
    else if (argv[i] === '--context-mb') contextMb = Number(argv[++i]) || 0;
    else throw new Error(`Unknown option ${argv[i]}`);
  }
  const { buildStages } = (await import(join(root, 'electron/core/project/build-stages.ts'))) as { buildStages: typeof BuildStages };
  const conn = await connectEngine();
  const requests: Request[] = [];
  const sessions: number[] = [];
  tap(conn.docker, requests, sessions);
  const cpu = cpuSampler(250);
  const fixture = await createFixture('full');
  if (contextMb > 0) {
    await mkdir(join(fixture.dir, 'data'));
    for (let i = 0; i < contextMb; i++) await writeFile(join(fixture.dir, 'data', `f${i}`), randomBytes(1024 * 1024));
  }
  const write = async (n: string) => {
    await fixture.write(n, 1);
    if (contextMb === 0) return;
    const text = await readFile(fixture.dockerfile, 'utf8');
    await writeFile(fixture.dockerfile, text.replace(/^(RUN echo .*\n)/m, '$1COPY data /ctx\n'));
  };
  /** buildStages of these stages, reported with its timeline. */
  const timed = async (title: string, model: DockerfileModel, stages: number[]) => {
    requests.length = 0;
    sessions.length = 0;
    const stageDone = new Map<string, number>();
    const t0 = Date.now();
    const input = { dockerfile: fixture.dockerfile, contextDir: fixture.dir, model, stages, options: { allStages: true }, reuseDir: null };
    const onEvent = (e: BuildEvent) =>
      void (e.type === 'stage-done' && stageDone.set(model.stages[e.stage].name ?? String(e.stage), Date.now()));
    const outcome = await buildStages(conn, input, { onEvent });
    if (outcome.failure) throw new Error(`build failed: ${outcome.failure.message}`);
    report(title, t0, Date.now(), requests, sessions, stageDone, cpu.samples);
  };
  const nonce = () => randomBytes(6).toString('hex');
  try {
    for (let r = 0; r < rounds; r++) {
      if (only !== 'stages') {
        await write(nonce());
        requests.length = 0;
        sessions.length = 0;
        const t0 = Date.now();
        await timeFinalBuild(conn, fixture);
        report(`round ${r + 1}: one build of the final target`, t0, Date.now(), requests, sessions, new Map(), cpu.samples);
      }
      if (only === 'sequential') {
        const model = await readDockerfile(fixture.dockerfile);
        for (const st of model.stages.slice(0, -1)) await timed(`round ${r + 1}: ${st.name} alone, after the target`, model, [st.index]);
      }
      if (only !== 'final' && only !== 'sequential') {
        await write(nonce());
        const model = await readDockerfile(fixture.dockerfile);
        await timed(
          `round ${r + 1}: buildStages (${root})`,
          model,
          model.stages.map((st) => st.index),
        );
      }
    }
  } finally {
    cpu.stop();
    await removeImagesByLabel(conn.docker, `${PROJECT_LABEL}=${resolve(fixture.dockerfile)}`).catch(() => undefined);
    await rm(fixture.dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
