// Images opened by reference (the UI's "Open image…"), outside any project: each is read once
// through openImageSource, analyzed like a stage (tree, layers, efficiency) and kept, a few at
// a time, so the renderer can page through its tree as it does a stage's.
import { randomBytes } from 'node:crypto';
import type { ResponseTypes } from '../../../shared/api.ts';
import type { Efficiency, LayerSummary } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { buildLayerView, treeRows } from '../image/rows.ts';
import { analyzeImage, layerSummaries, type AnalyzedImage } from '../project/stage-analysis.ts';
import { listPlatforms } from './list-platforms.ts';
import { openImageSource } from './open.ts';
import type { OpenSourceOptions } from './types.ts';

export interface OpenedImage {
  /** Handle for later requests (image.rows). */
  id: string;
  label: string;
  imageId: string;
  repoTags: string[];
  platform: string | null;
  layers: LayerSummary[];
  fileCount: number;
  totalBytes: number;
  efficiency: Efficiency;
}

export interface ImageRowArgs {
  image: string;
  layer: number | null;
  expanded: 'all' | string[];
  filter?: string;
  sort?: 'name' | 'size';
  offset?: number;
  limit?: number;
}

const KEEP = 4;

export class OpenedImages {
  private readonly images = new Map<string, AnalyzedImage>();

  constructor(private readonly options: () => OpenSourceOptions = () => ({})) {}

  platforms(ref: string): Promise<string[]> {
    return listPlatforms(ref, this.options());
  }

  async open(ref: string, platform?: string): Promise<OpenedImage> {
    const source = await openImageSource(ref, { ...this.options(), platform });
    const contents = await source.read();
    const image = contents.images[0];
    if (!image) throw new StageScopeError('not-found', `${source.label} holds no image.`, null);
    const analyzed = analyzeImage(image.id, image, contents.layers, null, 0);
    const id = randomBytes(6).toString('hex');
    if (this.images.size >= KEEP) this.images.delete(this.images.keys().next().value!);
    this.images.set(id, analyzed);
    return {
      id,
      label: source.label,
      imageId: image.id,
      repoTags: image.repoTags,
      platform: platform ?? null,
      layers: layerSummaries(analyzed),
      fileCount: analyzed.tree.fileCount,
      totalBytes: analyzed.tree.totalBytes,
      efficiency: analyzed.efficiency,
    };
  }

  get(id: string): AnalyzedImage {
    const a = this.images.get(id);
    if (!a) throw new StageScopeError('not-found', 'That image is no longer open.', 'Open it again.');
    return a;
  }

  rows(args: ImageRowArgs): ResponseTypes['image.rows'] {
    const a = this.get(args.image);
    const expanded: 'all' | Set<string> = args.expanded === 'all' ? 'all' : new Set(args.expanded);
    const common = { expanded, filter: args.filter, sort: args.sort, offset: args.offset, limit: args.limit };
    if (args.layer === null) return treeRows(a.tree, common);
    if (args.layer >= a.layers.length)
      throw new StageScopeError('not-found', `Layer ${args.layer} does not exist in this image (it has ${a.layers.length}).`, null);
    const view = buildLayerView(a.layers[args.layer]!, a.changes[args.layer]!);
    return treeRows(view.tree, { ...common, changes: view.changes });
  }
}
