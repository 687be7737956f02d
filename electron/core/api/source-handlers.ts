// Handlers for images opened by reference and for the engine switch (see core/source and
// docker/contexts.ts). Kept apart from handlers.ts, which is about the open project.
import { OpenedImages } from '../source/opened-images.ts';
import { listContexts, useContext } from '../docker/contexts.ts';
import type { HandlerDeps, HandlerTable } from './types.ts';
import { diffTrees } from '../image/diff.ts';
import { StageScopeError } from '../../../shared/errors.ts';

type SourceHandlers = Pick<HandlerTable, 'image.platforms' | 'image.open' | 'image.rows' | 'image.diff' | 'engine.contexts' | 'engine.use'>;

export function sourceHandlers(deps: HandlerDeps): SourceHandlers {
  const images = new OpenedImages();
  return {
    'image.platforms': async ({ ref }) => images.platforms(ref),
    'image.open': async ({ ref, platform }) => images.open(ref, platform),
    'image.rows': async (args) => images.rows(args),
    'image.diff': async ({ a, b }) => {
      // What image a has relative to b (b on the left, as 'from').
      if (typeof b === 'string') return diffTrees(images.get(b).tree, images.get(a).tree);
      const session = deps.getSession();
      if (!session?.stageTree)
        throw new StageScopeError('usage', 'No project is open to compare the image with.', 'Open a project and build it first.');
      // Old (the stage) on the left, the opened image on the right: what the image adds to it.
      return diffTrees(session.stageTree(b.stage), images.get(a).tree);
    },
    'engine.contexts': async () => listContexts(),
    'engine.use': async ({ context }) => {
      // A bad name is not refused here: the status that comes back says what is wrong with it.
      useContext(context);
      return deps.engineStatus();
    },
  };
}
