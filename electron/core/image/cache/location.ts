// Where the persistent layer cache lives: STAGESCOPE_CACHE_DIR, else the XDG cache folder.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(env: Record<string, string | undefined> = process.env, home = homedir()): string {
  if (env.STAGESCOPE_CACHE_DIR) return env.STAGESCOPE_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(xdg, 'stagescope');
}
