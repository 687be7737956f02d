// Temporary folders for tests, tracked so one call removes them all (call removeTempDirs in
// afterEach/afterAll, or use useTempDirs() which registers that for you).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made = new Set<string>();

export async function makeTempDir(prefix = 'stagescope-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  const dirs = [...made];
  made.clear();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}

/** Call at the top of a test file (or describe): temp dirs are removed after each test. */
export function useTempDirs(): (prefix?: string) => Promise<string> {
  afterEach(removeTempDirs);
  return makeTempDir;
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>, prefix?: string): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix ?? 'stagescope-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
