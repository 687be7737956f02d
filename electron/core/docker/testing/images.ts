// For tests of this folder: a tiny busybox base image. Uses the project's
// stagescope-test/busybox:1 when it exists; otherwise imports one from Debian's busybox-static
// (`apt-get install busybox-static`) under a unique tag that `release` removes.
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { pack } from 'tar-stream';
import { imageExists } from '../images.ts';

export const SHARED_BUSYBOX = 'stagescope-test/busybox:1';
const APPLETS = ['sh', 'echo', 'sleep', 'cat', 'cp', 'ls', 'mkdir', 'rm', 'true', 'false', 'seq'];

export interface TestBase {
  ref: string;
  release(): Promise<void>;
}

export async function busyboxBase(docker: Dockerode, opts: { forceImport?: boolean } = {}): Promise<TestBase> {
  if (!opts.forceImport && (await imageExists(docker, SHARED_BUSYBOX))) return { ref: SHARED_BUSYBOX, release: async () => {} };
  const binary = ['/bin/busybox', '/usr/bin/busybox'].find(existsSync);
  if (!binary) throw new Error(`Neither ${SHARED_BUSYBOX} nor busybox-static is installed: apt-get install -y busybox-static`);
  const tar = pack();
  tar.entry({ name: 'bin/', type: 'directory', mode: 0o755 });
  tar.entry({ name: 'tmp/', type: 'directory', mode: 0o1777 });
  tar.entry({ name: 'bin/busybox', mode: 0o755 }, readFileSync(binary));
  for (const applet of APPLETS) tar.entry({ name: `bin/${applet}`, type: 'symlink', linkname: 'busybox' });
  tar.finalize();
  const ref = `stagescope-test/docker-busybox:${randomBytes(4).toString('hex')}`;
  const [repo, tag] = ref.split(':');
  const stream = (await docker.importImage(
    tar as unknown as NodeJS.ReadableStream,
    { repo, tag, changes: ['ENV PATH=/bin'] } as object,
  )) as NodeJS.ReadableStream;
  await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve(null))));
  return {
    ref,
    release: async () =>
      void (await docker
        .getImage(ref)
        .remove({ force: true })
        .catch(() => undefined)),
  };
}

/** Remove images a test made, ignoring those already gone. */
export async function removeImages(docker: Dockerode, refs: string[]): Promise<void> {
  for (const ref of refs)
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch(() => undefined);
}
