// Recently opened project folders, newest first. The desktop app keeps them as JSON in its
// userData folder; the browser host keeps them in memory. A corrupt file is treated as empty
// rather than breaking the app at startup.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../files/write-atomic.ts';
import type { RecentStore } from './types.ts';

const MAX_RECENT = 10;

function pushFront(list: string[], root: string): string[] {
  return [root, ...list.filter((r) => r !== root)].slice(0, MAX_RECENT);
}

export function memoryRecentStore(initial: string[] = []): RecentStore {
  let list = [...initial];
  return {
    list: async () => [...list],
    add: async (root) => {
      list = pushFront(list, root);
    },
  };
}

export function fileRecentStore(file: string): RecentStore {
  async function read(): Promise<string[]> {
    try {
      const data: unknown = JSON.parse(await readFile(file, 'utf8'));
      return Array.isArray(data) ? data.filter((r): r is string => typeof r === 'string').slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }
  // Adds run one after another: two at once (a reload reopening while the user opens another
  // folder) would each read the list before the other wrote it, and drop the other's folder.
  let queue: Promise<void> = Promise.resolve();
  return {
    list: read,
    add(root) {
      const write = async () => {
        const next = pushFront(await read(), root);
        await writeFileAtomic(file, JSON.stringify(next, null, 2));
      };
      const done = queue.then(write);
      queue = done.catch(() => undefined);
      return done;
    },
  };
}
