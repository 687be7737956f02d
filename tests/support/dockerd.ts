// A private dockerd beside the shared engine, for tests that must change, break or restart an
// engine (prune, TLS, restarts): own data-root, exec-root, pid file and managed containerd in
// a folder of the test's, no networks (as the shared engine), stopped by its pid. The shared
// engine at /var/run/docker.sock serves every other helper and test: never prune or restart it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { requireEngine } from './engine.ts';

export interface DockerdOptions {
  /** The daemon's folder: data, exec root, pid file and dockerd.log go below it. */
  root: string;
  /** `--host` (unix:// or tcp://). */
  host: string;
  /** Flags beside the common ones (TLS...). */
  args?: string[];
  /** A client for this daemon (used to wait for it and to load images). */
  docker: Dockerode;
}

export class Dockerd {
  private daemon: ChildProcess | null = null;

  constructor(private readonly opts: DockerdOptions) {}

  get docker(): Dockerode {
    return this.opts.docker;
  }

  /** Starts the daemon and waits (up to 60 s) until it answers. */
  async start(): Promise<void> {
    const { root, host } = this.opts;
    const log = openSync(join(root, 'dockerd.log'), 'a');
    const daemon = spawn(
      'dockerd',
      [
        `--host=${host}`,
        ...(this.opts.args ?? []),
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
    this.daemon = daemon;
    const until = Date.now() + 60_000;
    for (;;) {
      if (
        await this.docker.ping().then(
          () => true,
          () => false,
        )
      )
        return;
      if (daemon.exitCode !== null || Date.now() > until) {
        await this.stop('SIGKILL');
        throw new Error(`The private dockerd did not answer; see ${join(root, 'dockerd.log')}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * SIGTERM, as a service stop does (dockerd lets requests in flight finish), or SIGKILL, as a
   * crash does (streams are cut); then waits until the daemon has exited. Its managed
   * containerd survives a SIGKILL and is taken over by the next dockerd (pid file under exec-root).
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const d = this.daemon;
    this.daemon = null;
    if (!d || d.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => d.once('exit', () => resolve()));
    d.kill(signal);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (d.exitCode === null) {
      d.kill('SIGKILL');
      await exited;
    }
  }

  async restart(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }

  /** Copies an image from the shared engine (docker save | docker load): no registry is reachable. */
  async copyImage(ref: string): Promise<void> {
    const shared = await requireEngine();
    const loading = await this.docker.loadImage((await shared.getImage(ref).get()) as NodeJS.ReadableStream);
    await new Promise<void>((resolve, reject) =>
      this.docker.modem.followProgress(loading, (err: Error | null) => (err ? reject(err) : resolve())),
    );
  }

  /**
   * Unmounts what the daemon left under its folder (ours only), deepest first, and returns
   * what is still mounted. dockerd bind-mounts its data-root onto itself, so copies of a child
   * mount can reappear after one pass: repeat while some remain.
   */
  async unmountLeftovers(): Promise<string[]> {
    const ours = async () =>
      (await readFile('/proc/self/mounts', 'utf8'))
        .split('\n')
        .map((l) => l.split(' ')[1])
        .filter((m): m is string => !!m && m.startsWith(this.opts.root + '/'))
        .sort((a, b) => b.length - a.length);
    for (let pass = 0; pass < 5; pass++) {
      const mounts = await ours();
      if (mounts.length === 0) return [];
      for (const m of mounts) await new Promise((r) => execFile('umount', [m], () => execFile('umount', ['-l', m], () => r(null))));
    }
    return ours();
  }
}
