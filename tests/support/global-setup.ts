// Runs once per `vitest run` in the main process, before any test worker starts (workers
// inherit its environment): the persistent layer cache and the hosts' state (recent projects,
// last builds) go to fresh folders of this run, so tests neither read a developer's cache or
// state nor leave any behind.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function freshDir(variable: string, prefix: string): Promise<() => Promise<void>> {
  if (process.env[variable]) return async () => undefined;
  const dir = await mkdtemp(join(tmpdir(), prefix));
  process.env[variable] = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
    delete process.env[variable];
  };
}

export async function setup(): Promise<() => Promise<void>> {
  const cache = await freshDir('STAGESCOPE_CACHE_DIR', 'stagescope-test-cache-');
  const state = await freshDir('STAGESCOPE_STATE_DIR', 'stagescope-test-state-');
  return async () => {
    await cache();
    await state();
  };
}
