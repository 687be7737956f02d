// The one table of request handlers. Electron IPC and the browser host both register it, so
// every request behaves the same in both; each handler is a thin wrapper over the session.
import path from 'node:path';
import type { ProjectInfo } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import type { ProjectSessionApi } from '../project/types.ts';
import { completeFolder } from '../project/folders.ts';
import { saveFile } from '../project/save-file.ts';
import { BuildRunner } from './builds.ts';
import { sourceHandlers } from './source-handlers.ts';
import { Sides } from './sides.ts';
import type { HandlerDeps, HandlerTable } from './types.ts';

export function createHandlers(deps: HandlerDeps): HandlerTable {
  const builds = deps.builds ?? new BuildRunner();
  const sides = deps.sides ?? new Sides(deps.getSession);

  function session(): ProjectSessionApi {
    const s = deps.getSession();
    if (!s) throw new StageScopeError('usage', 'No project is open.', 'Open a project folder first.');
    return s;
  }

  function history(): NonNullable<ProjectSessionApi['history']> {
    const h = session().history;
    if (!h) throw new StageScopeError('usage', 'This host does not keep build history.', null);
    return h;
  }

  async function open(root: string): Promise<ProjectInfo> {
    const s = await deps.openSession(root);
    const dockerfiles = await s.listDockerfiles();
    await deps.recent.add(s.root);
    return { root: s.root, dockerfiles };
  }

  return {
    'engine.status': () => deps.engineStatus(),
    'project.open': ({ path: root }) => open(root),
    'project.choose': async () => {
      if (!deps.chooseFolder) {
        throw new StageScopeError('usage', 'This host has no folder picker.', 'Type the folder path instead.');
      }
      const root = await deps.chooseFolder();
      return root ? open(root) : null;
    },
    'project.recent': () => deps.recent.list(),
    'folder.complete': ({ prefix }) => completeFolder(prefix),
    'dockerfile.parse': async (args) => session().parse(args),
    'build.start': async (args) => builds.start(session(), args, deps.emit),
    'build.cancel': async ({ buildId }) => builds.cancel(buildId),
    'report.get': async () => deps.getSession()?.report() ?? null,
    'build.last': async () => {
      const s = deps.getSession();
      return s ? builds.last(s.root) : null;
    },
    // A stage or an opened image ({ image }): sides.ts routes each.
    'tree.rows': async (args) => sides.treeRows(args),
    'diff.summary': async (args) => sides.diffSummary(args),
    'diff.rows': async (args) => sides.diffRows(args),
    'diff.file': async (args) => sides.diffFile(args),
    'copies.list': async () => session().copies(),
    'file.preview': async (args) => sides.preview(args),
    'file.extract': async (args) => {
      const s = 'stage' in args ? session() : null; // no project: say so before asking where to save
      if (!deps.chooseSavePath) {
        // Writing to a path typed into a web page would let any token holder write anywhere.
        throw new StageScopeError('usage', 'This host cannot write files for you.', 'Use the download link to save the file.');
      }
      const dest = await deps.chooseSavePath(path.posix.basename(args.dest) || path.posix.basename(args.path));
      if (!dest) throw new StageScopeError('cancelled', 'The file was not saved.', null);
      return s && 'stage' in args ? s.extract({ ...args, dest }) : saveFile(dest, () => sides.readFile(args, args.path));
    },
    'sizes.treemap': async (args) => session().treemap(args),
    'check.run': async () => {
      const s = session();
      if (!s.check) throw new StageScopeError('usage', 'This session cannot run checks.', null);
      return s.check();
    },
    'history.list': async () => history().list(),
    'history.compare': async (args) => history().compare(args),
    'lineage.why': async (args) => history().why(args),
    ...sourceHandlers(deps, sides),
  };
}
