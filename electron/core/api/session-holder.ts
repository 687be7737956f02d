// The current project of one transport. Opening the folder already open reuses its session
// (the renderer reopens it after a reload), and concurrent opens of one folder share a promise.
import path from 'node:path';
import type { ProjectSessionApi } from '../project/types.ts';

export interface SessionHolder {
  getSession(): ProjectSessionApi | null;
  openSession(root: string): Promise<ProjectSessionApi>;
}

export function createSessionHolder(
  open: (root: string) => Promise<ProjectSessionApi>,
  onReplace?: (previous: ProjectSessionApi) => void,
): SessionHolder {
  let current: ProjectSessionApi | null = null;
  let pending: { root: string; promise: Promise<ProjectSessionApi> } | null = null;
  return {
    getSession: () => current,
    async openSession(root) {
      const resolved = path.resolve(root);
      if (current && current.root === resolved) return current;
      if (pending && pending.root === resolved) return pending.promise;
      const promise = open(resolved);
      pending = { root: resolved, promise };
      try {
        const session = await promise;
        if (current && current !== session) onReplace?.(current);
        current = session;
        return session;
      } finally {
        if (pending?.promise === promise) pending = null;
      }
    },
  };
}
