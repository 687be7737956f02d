// The persistent per-layer index (keyed by diffId) that lets a re-analysis parse only new layers.
export { LayerCache, DEFAULT_MAX_CACHE_BYTES, type LayerCacheOptions } from './layer-cache.ts';
export { readArchiveWithCache, type CachedRead } from './cached-read.ts';
export { defaultCacheDir } from './location.ts';
export { encodeLayer, decodeLayer, CODEC_VERSION } from './codec.ts';
