// A private dockerd for tests that must change or break an engine's state (prune, restarts):
// own socket, data-root, exec-root and managed containerd in a temp folder, stopped by its pid.
// The shared engine at /var/run/docker.sock serves every other helper and test: never prune
// or restart it. (tests/integration/zz-engine-restart.test.ts starts one the same way.)
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { requireEngine } from './engine.ts';
import { makeTempDir } from './temp.ts';

export interface PrivateEngine {
  /** unix://... for DOCKER_HOST or connectEngine({ host }). */
  host: string;
  docker: Dockerode;
  /** Copies an image from the shared engine (docker save | docker load). */
  copyImage(ref: string): Promise<void>;
  /** Stops the daemon, unmounts what it left under its folder, removes the folder. */
  stop(): Promise<void>;
}

export async function startPrivateEngine(): Promise<PrivateEngine> {
  const root = await makeTempDir('stagescope-private-engine-');
  const host = `unix://${join(root, 'docker.sock')}`;
  const log = openSync(join(root, 'dockerd.log'), 'a');
  const daemon: ChildProcess = spawn(
    'dockerd',
    [
      `--host=${host}`,
      `--data-root=${join(root, 'data')}`,
      `--exec-root=${join(root, 'exec')}`,
      `--pidfile=${join(root, 'docker.pid')}`,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      '--ip6tables=false',
    ],
    { stdio: ['ignore', log, log] },
  );
  const docker = new Dockerode({ socketPath: join(root, 'docker.sock') });
  const until = Date.now() + 60_000;
  for (;;) {
    if (
      await docker.ping().then(
        () => true,
        () => false,
      )
    )
      break;
    if (daemon.exitCode !== null || Date.now() > until) {
      daemon.kill('SIGKILL');
      throw new Error(`The private dockerd did not answer; see ${join(root, 'dockerd.log')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    host,
    docker,
    async copyImage(ref) {
      const shared = await requireEngine();
      const saved = await shared.getImage(ref).get();
      const loading = await docker.loadImage(saved as NodeJS.ReadableStream);
      await new Promise<void>((resolve, reject) =>
        docker.modem.followProgress(loading, (err: Error | null) => (err ? reject(err) : resolve())),
      );
    },
    async stop() {
      if (daemon.exitCode === null) {
        const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
        daemon.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
        if (daemon.exitCode === null) {
          daemon.kill('SIGKILL');
          await exited;
        }
      }
      // Mounts under our folder only, deepest first; dockerd bind-mounts its data-root onto
      // itself, so repeat while some remain.
      for (let pass = 0; pass < 5; pass++) {
        const mounts = (await readFile('/proc/self/mounts', 'utf8'))
          .split('\n')
          .map((l) => l.split(' ')[1])
          .filter((m): m is string => !!m && m.startsWith(root + '/'))
          .sort((a, b) => b.length - a.length);
        if (mounts.length === 0) break;
        for (const m of mounts) await new Promise((r) => execFile('umount', [m], () => execFile('umount', ['-l', m], () => r(null))));
      }
      await rm(root, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
