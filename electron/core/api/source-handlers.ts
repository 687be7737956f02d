// Handlers for images opened by reference and for the engine switch (see core/source and
// docker/contexts.ts). Kept apart from handlers.ts, which is about the open project.
import { OpenedImages } from '../source/opened-images.ts';
import { listContexts, useContext } from '../docker/contexts.ts';
import type { HandlerDeps, HandlerTable } from './types.ts';

type SourceHandlers = Pick<HandlerTable, 'image.platforms' | 'image.open' | 'image.rows' | 'engine.contexts' | 'engine.use'>;

export function sourceHandlers(deps: HandlerDeps): SourceHandlers {
  const images = new OpenedImages();
  return {
    'image.platforms': async ({ ref }) => images.platforms(ref),
    'image.open': async ({ ref, platform }) => images.open(ref, platform),
    'image.rows': async (args) => images.rows(args),
    'engine.contexts': async () => listContexts(),
    'engine.use': async ({ context }) => {
      // A bad name is not refused here: the status that comes back says what is wrong with it.
      useContext(context);
      return deps.engineStatus();
    },
  };
}
