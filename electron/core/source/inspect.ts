// Images read from a source and analyzed outside any project: `inspect` (every image of the
// source), and one image for `ls`, `diff-images` and the UI's "Open image…". Every reader goes
// through openImageSource with the diffID layer cache `analyze` uses.
import type { ImageReport, ImageSummary, InspectReport } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { LayerCache } from '../image/cache/index.ts';
import type { LayerBlob } from '../image/types.ts';
import { analyzeImage, layerSummaries, type AnalyzedImage } from '../project/stage-analysis.ts';
import { openImageSource } from './open.ts';
import type { OpenSourceOptions, SourceRef } from './types.ts';

/** A cache that cannot be opened (read-only home, full disk) only costs speed. */
async function withCache(options: OpenSourceOptions): Promise<OpenSourceOptions> {
  return options.cache !== undefined ? options : { ...options, cache: await LayerCache.open().catch(() => null) };
}

export function imageSummary(a: AnalyzedImage): ImageSummary {
  return {
    repoTags: a.image.repoTags,
    layers: layerSummaries(a),
    fileCount: a.tree.fileCount,
    totalBytes: a.tree.totalBytes,
    efficiency: a.efficiency,
  };
}

/** Every image of a source (an archive may hold several), analyzed. */
export async function inspectSource(ref: string, options: OpenSourceOptions = {}): Promise<InspectReport> {
  const contents = await (await openImageSource(ref, await withCache(options))).read();
  const images = contents.images.map((image): ImageReport => {
    const a = analyzeImage({ image, allLayers: contents.layers });
    return { id: image.id, size: a.layers.reduce((sum, l) => sum + l.size, 0), ...imageSummary(a) };
  });
  return { source: ref, images };
}

/**
 * The one image of a source, analyzed. `purpose` ends the message when the source holds
 * several ("ls lists one"); `first` takes the first of several instead (an index's platform
 * was chosen already).
 */
export async function analyzeOneImage(
  ref: string,
  options: OpenSourceOptions & { purpose?: string; first?: boolean } = {},
): Promise<{ label: string; ref: SourceRef; analyzed: AnalyzedImage; blobs: Map<string, LayerBlob> }> {
  const source = await openImageSource(ref, await withCache(options));
  const contents = await source.read();
  const image = contents.images[0];
  if (!image) throw new StageScopeError('not-found', `${source.label} holds no image.`, null);
  if (contents.images.length > 1 && !options.first) {
    throw new StageScopeError(
      'usage',
      `${source.label} holds ${contents.images.length} images; ${options.purpose ?? 'one is needed'}.`,
      'Save the one image on its own (`docker save -o FILE IMAGE`).',
    );
  }
  const analyzed = analyzeImage({ image, allLayers: contents.layers });
  return { label: source.label, ref: source.ref, analyzed, blobs: contents.blobs ?? new Map() };
}
