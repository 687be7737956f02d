// Runs once per `vitest run` in the main process, before any test worker starts (workers
// inherit its environment): the persistent layer cache goes to a fresh folder of this run, so
// tests neither read a developer's cache nor leave one behind.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function setup(): Promise<() => Promise<void>> {
  if (process.env.STAGESCOPE_CACHE_DIR) return async () => undefined;
  const dir = await mkdtemp(join(tmpdir(), 'stagescope-test-cache-'));
  process.env.STAGESCOPE_CACHE_DIR = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
    delete process.env.STAGESCOPE_CACHE_DIR;
  };
}
