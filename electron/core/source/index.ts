// Image sources: the engine, `docker save` archives, OCI layouts (folder and tar) and
// registries, behind one function. See open.ts.
export { openImageSource, readImageSource } from './open.ts';
export { parseSourceRef, formatSourceRef } from './ref.ts';
export { hostPlatform, parsePlatform, formatPlatform } from './platform.ts';
export type { ImageSource, OpenSourceOptions, SourceRef, Platform } from './types.ts';
