// `stagescope serve [folder]`: the UI in a browser, for headless and remote machines (through
// an SSH tunnel). Loopback only, a per-run token in the printed URL.
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost } from '../web/index.ts';
import { openProject } from '../core/project/session.ts';
import { engineStatus } from '../core/project/engine-status.ts';
import { defaultStateDir } from '../core/api/state-dir.ts';
import { StageScopeError } from '../../shared/errors.ts';

export const RENDERER_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../out/renderer');

export async function serveCommand(folder: string | null, port: number, out: (text: string) => void): Promise<number> {
  const index = await stat(join(RENDERER_DIR, 'index.html')).catch(() => null);
  if (!index) {
    throw new StageScopeError(
      'usage',
      'The UI is not built yet.',
      'Run `npm run build:renderer` (or `npm run serve`, which builds it) first.',
    );
  }
  const host = await startWebHost({
    staticDir: RENDERER_DIR,
    root: folder ?? undefined,
    port,
    openSession: (root) => openProject(root),
    engineStatus,
    stateDir: defaultStateDir(),
  });
  out(`StageScope ready at ${host.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  return 0;
}
