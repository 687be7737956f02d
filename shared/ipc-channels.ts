// IPC channel names shared by main and preload (no electron import: main's tests use it too).
// In shared/ so that main does not import from the preload bundle.
import type { EventName, EventTypes } from './api.ts';

export const REQUEST_CHANNEL = 'stagescope:request';
export const EVENT_CHANNEL = 'stagescope:event';

// A record keyed by EventName makes the compiler flag a new event missing here.
const EVENTS: Record<EventName, true> = { 'project.opened': true, 'build.event': true, 'build.phase': true, 'build.done': true };
export const EVENT_NAMES = Object.keys(EVENTS) as (keyof EventTypes)[];
