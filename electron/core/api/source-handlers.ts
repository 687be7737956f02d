// Handlers for opening images by reference and for the engine switch (see core/source and
// docker/contexts.ts). An opened image is then a side like a stage (api/sides.ts).
import { listContexts, useContext } from '../docker/contexts.ts';
import type { HandlerDeps, HandlerTable } from './types.ts';
import type { Sides } from './sides.ts';

type SourceHandlers = Pick<HandlerTable, 'image.platforms' | 'image.open' | 'engine.contexts' | 'engine.use'>;

export function sourceHandlers(deps: HandlerDeps, sides: Sides): SourceHandlers {
  return {
    'image.platforms': async ({ ref }) => sides.images.platforms(ref),
    'image.open': async ({ ref, platform }) => sides.images.open(ref, platform),
    'engine.contexts': async () => listContexts(),
    'engine.use': async ({ context }) => {
      // A bad name is not refused here: the status that comes back says what is wrong with it.
      useContext(context);
      return deps.engineStatus();
    },
  };
}
