// The API layer both transports register: one handler table, one dispatcher.
export { createHandlers } from './handlers.ts';
export { dispatch, isRequestName } from './dispatch.ts';
export { BuildRunner } from './builds.ts';
export { createSessionHolder, type SessionHolder } from './session-holder.ts';
export { fileRecentStore, memoryRecentStore } from './recent.ts';
export type { Emit, HandlerDeps, HandlerTable, RecentStore } from './types.ts';
export { contentSecurityPolicy, metaContentSecurityPolicy } from './csp.ts';
