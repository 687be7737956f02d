// Images opened by reference (the UI's "Open image…"), outside any project: each is read once
// through openImageSource, analyzed like a stage (tree, layers, efficiency) and kept, a few at
// a time, so the renderer can page through its tree as it does a stage's.
import { randomBytes } from 'node:crypto';
import type { OpenedImageInfo, RequestArgs, ResponseTypes } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { buildLayerView, treeRows } from '../image/rows.ts';
import type { AnalyzedImage } from '../project/stage-analysis.ts';
import { analyzeOneImage, imageSummary } from './inspect.ts';
import { listPlatforms } from './list-platforms.ts';
import type { OpenSourceOptions } from './types.ts';

const KEEP = 4;

export class OpenedImages {
  private readonly images = new Map<string, AnalyzedImage>();

  constructor(private readonly options: () => OpenSourceOptions = () => ({})) {}

  platforms(ref: string): Promise<string[]> {
    return listPlatforms(ref, this.options());
  }

  async open(ref: string, platform?: string): Promise<OpenedImageInfo> {
    const { label, analyzed } = await analyzeOneImage(ref, { ...this.options(), platform, first: true });
    const id = randomBytes(6).toString('hex');
    if (this.images.size >= KEEP) this.images.delete(this.images.keys().next().value!);
    this.images.set(id, analyzed);
    return { id, label, imageId: analyzed.imageId, platform: platform ?? null, ...imageSummary(analyzed) };
  }

  get(id: string): AnalyzedImage {
    const a = this.images.get(id);
    if (!a) throw new StageScopeError('not-found', 'That image is no longer open.', 'Open it again.');
    return a;
  }

  rows(args: RequestArgs<'image.rows'>): ResponseTypes['image.rows'] {
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
