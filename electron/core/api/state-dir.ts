// Where a host keeps what must survive a restart (recent projects, each project's last build):
// STAGESCOPE_STATE_DIR, else the XDG state folder. The layer cache lives apart (cache/location.ts):
// a cache may be wiped at any time, this may not.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultStateDir(env: Record<string, string | undefined> = process.env, home = homedir()): string {
  if (env.STAGESCOPE_STATE_DIR) return env.STAGESCOPE_STATE_DIR;
  const xdg = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(home, '.local', 'state');
  return join(xdg, 'stagescope');
}
