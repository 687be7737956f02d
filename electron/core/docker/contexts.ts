// The docker contexts the user has (`docker context ls`), and which one this process uses.
// Choosing one here (the UI's engine switch) overrides DOCKER_CONTEXT / currentContext for
// this process only; nothing is written to the user's docker configuration.
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveEndpoint } from './endpoint.ts';

export interface ContextEntry {
  name: string;
  host: string;
}

let chosen: string | null = null;

/** null: back to what DOCKER_HOST / DOCKER_CONTEXT / the current context say. */
export function useContext(name: string | null): void {
  chosen = name;
}

export function chosenContext(): string | null {
  return chosen;
}

export function listContexts(
  env: Record<string, string | undefined> = process.env,
  home = homedir(),
): { current: string; contexts: ContextEntry[] } {
  const dir = join(env.DOCKER_CONFIG || join(home, '.docker'), 'contexts', 'meta');
  const contexts: ContextEntry[] = [{ name: 'default', host: env.DOCKER_HOST || 'unix:///var/run/docker.sock' }];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // no contexts beside the default
  }
  for (const digest of names) {
    try {
      const meta = JSON.parse(readFileSync(join(dir, digest, 'meta.json'), 'utf8')) as {
        Name?: string;
        Endpoints?: { docker?: { Host?: string } };
      };
      if (meta.Name && meta.Endpoints?.docker?.Host) contexts.push({ name: meta.Name, host: meta.Endpoints.docker.Host });
    } catch {
      // a broken context is left out of the list; choosing it by name reports the problem
    }
  }
  contexts.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
  let current = chosen ?? 'default';
  if (!chosen) {
    try {
      current = resolveEndpoint({ env, homeDir: home }).context ?? 'default';
    } catch {
      current = env.DOCKER_CONTEXT ?? 'default';
    }
  }
  return { current, contexts };
}
