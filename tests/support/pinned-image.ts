// An image the engine can resolve by digest (`repo@sha256:…`) with no registry reachable.
//
// Why a registry at all: a `FROM name@sha256:<image id>` is not found offline (BuildKit asks the
// registry: "failed to resolve source metadata"), and `docker tag` refuses digests. A digest
// reference enters the engine's reference store only through a pull or a push. So: a private
// `docker-registry` (Debian's distribution 2.8) on a free loopback port, one push, and the
// registry is stopped again. The engine keeps `<registry>/<repo>@sha256:<manifest digest>` in its
// reference store as long as the image keeps a tag in that repository, and BuildKit resolves
// that reference locally, offline. Remove the image (by id) to drop both.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { importImageFromEntries, type ImportEntry } from './engine.ts';

const run = promisify(execFile);

export interface PinnedImage {
  /** `127.0.0.1:PORT/stagescope-test/NAME`: the repository part of the digest reference. */
  repository: string;
  /** `sha256:…`, the manifest digest the push reported. */
  digest: string;
  /** The image id, for removal. */
  id: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
    server.on('error', reject);
  });
}

async function waitForRegistry(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`docker-registry did not answer on 127.0.0.1:${port} within 10 s (is Debian's docker-registry installed?)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Makes a one-layer image of `entries` and gives it a digest reference the engine resolves offline. */
export async function createPinnedImage(name: string, entries: readonly ImportEntry[]): Promise<PinnedImage> {
  const dir = await mkdtemp(join(tmpdir(), 'stagescope-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const local = `stagescope-test/${name}:pinned-${process.pid}`;
  const id = await importImageFromEntries(local, entries);
  const repository = `127.0.0.1:${port}/stagescope-test/${name}`;
  const registry = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => registry.on('exit', () => resolve()));
  registry.on('error', () => undefined);
  try {
    await waitForRegistry(port);
    await run('docker', ['tag', id, `${repository}:1`]);
    const { stdout } = await run('docker', ['push', `${repository}:1`]);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
    if (!digest) throw new Error(`docker push printed no digest: ${stdout}`);
    return { repository, digest, id };
  } finally {
    registry.kill();
    await exited;
    // The local tag is not needed: the registry tag keeps the digest reference alive.
    await run('docker', ['rmi', local]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
