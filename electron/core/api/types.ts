// The shapes the API handlers depend on. Transports (Electron main, the browser host, tests)
// supply these; the handlers themselves never know which transport carries them.
import type { EngineStatus, RequestArgs, RequestName, ResponseTypes } from '../../../shared/api.ts';
import type { ProjectSessionApi } from '../project/types.ts';
import type { BuildRunner } from './builds.ts';
import type { Sides } from './sides.ts';
import type { Emit } from './emit.ts';

export type HandlerTable = { [K in RequestName]: (args: RequestArgs<K>) => Promise<ResponseTypes[K]> };

export interface RecentStore {
  list(): Promise<string[]>;
  add(root: string): Promise<void>;
}

export interface HandlerDeps {
  getSession(): ProjectSessionApi | null;
  /** Opens a project and makes it the current session (see createSessionHolder). */
  openSession(root: string): Promise<ProjectSessionApi>;
  recent: RecentStore;
  emit: Emit;
  engineStatus(): Promise<EngineStatus>;
  /** Native folder picker (Electron); absent in the browser host. Null when cancelled. */
  chooseFolder?: () => Promise<string | null>;
  /** Native save dialog (Electron); absent in the browser host, which downloads instead. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Pass one to cancel builds from outside (a window closing); otherwise one is made. */
  builds?: BuildRunner;
  /** Pass one to share opened images with another route (the browser host's downloads). */
  sides?: Sides;
}
