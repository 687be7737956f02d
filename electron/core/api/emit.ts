// How the API layer pushes an event to the window, whichever transport carries it. Its own file
// so that types.ts (which names BuildRunner) and builds.ts (which emits) do not import each other.
import type { EventName, EventTypes } from '../../../shared/api.ts';

export type Emit = <E extends EventName>(name: E, payload: EventTypes[E]) => void;
