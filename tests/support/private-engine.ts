// A private dockerd on a unix socket in a temp folder (see dockerd.ts), for tests that must
// change or break an engine's state (prune).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { Dockerd } from './dockerd.ts';
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
  const daemon = new Dockerd({ root, host, docker: new Dockerode({ socketPath: join(root, 'docker.sock') }) });
  await daemon.start();
  return {
    host,
    docker: daemon.docker,
    copyImage: (ref) => daemon.copyImage(ref),
    async stop() {
      await daemon.stop();
      await daemon.unmountLeftovers();
      await rm(root, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
