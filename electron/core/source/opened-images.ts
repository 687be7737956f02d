// Images opened by reference (the UI's "Open image…"), outside any project: each is read once
// through openImageSource, analyzed like a stage (tree, layers, efficiency) and kept, a few at
// a time, so the renderer pages through its tree, previews and extracts its files as a stage's.
import { randomBytes } from 'node:crypto';
import type { OpenedImageInfo, ResponseTypes, RequestArgs } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { connectEngine, type Connection } from '../docker/connection.ts';
import { chosenContext } from '../docker/contexts.ts';
import { LayerViews } from '../image/layer-views.ts';
import { assertExtractable, openImageFile, readImageFileHead } from '../project/file-content.ts';
import { previewEntry, TEXT_PREVIEW_LIMIT } from '../project/preview.ts';
import type { AnalyzedImage } from '../project/stage-analysis.ts';
import { analyzeOneImage, imageSummary } from './inspect.ts';
import { listPlatforms } from './list-platforms.ts';
import type { OpenSourceOptions, SourceRef } from './types.ts';

const KEEP = 4;

/** The analysis keeps no file contents: they are read from the engine, where only engine images are. */
const NOT_IN_ENGINE =
  'The image was read from an archive, an OCI layout or a registry, and its file contents are not kept: load it into the engine (docker load) and open it by name to preview or extract files.';

interface Opened {
  analyzed: AnalyzedImage;
  kind: SourceRef['kind'];
}

export class OpenedImages {
  private readonly images = new Map<string, Opened>();
  /** Per-layer and up-to-layer views being paged. */
  private readonly views = new LayerViews();
  private connection: { context: string | null; conn: Promise<Connection> } | null = null;

  constructor(private readonly options: () => OpenSourceOptions = () => ({})) {}

  platforms(ref: string): Promise<string[]> {
    return listPlatforms(ref, this.options());
  }

  async open(ref: string, platform?: string): Promise<OpenedImageInfo> {
    const { label, kind, analyzed } = await analyzeOneImage(ref, { ...this.options(), platform, first: true });
    const id = randomBytes(6).toString('hex');
    if (this.images.size >= KEEP) this.images.delete(this.images.keys().next().value!);
    this.images.set(id, { analyzed, kind });
    return { id, label, imageId: analyzed.imageId, platform: platform ?? null, inEngine: kind === 'engine', ...imageSummary(analyzed) };
  }

  get(id: string): AnalyzedImage {
    return this.opened(id).analyzed;
  }

  private opened(id: string): Opened {
    const o = this.images.get(id);
    if (!o) throw new StageScopeError('not-found', 'That image is no longer open (StageScope keeps the last 4).', 'Open it again.');
    return o;
  }

  rows(args: Extract<RequestArgs<'tree.rows'>, { image: string }>): ResponseTypes['tree.rows'] {
    return this.views.rows(args.image, this.get(args.image), args, 'this image');
  }

  /** The engine, connected once per docker context (the UI can switch it). */
  private engine(): Promise<Connection> {
    const context = chosenContext();
    if (this.connection?.context !== context) {
      const conn = connectEngine();
      conn.catch(() => this.connection?.conn === conn && (this.connection = null));
      this.connection = { context, conn };
    }
    return this.connection.conn;
  }

  async preview(id: string, path: string): Promise<ResponseTypes['file.preview']> {
    const o = this.opened(id);
    const meta = o.analyzed.tree.get(path);
    if (!meta) throw new StageScopeError('not-found', `${path} does not exist in this image.`, null);
    if (o.kind !== 'engine') return previewEntry(meta, { unavailable: NOT_IN_ENGINE });
    return previewEntry(meta, async () => readImageFileHead((await this.engine()).docker, o.analyzed.imageId, path, TEXT_PREVIEW_LIMIT));
  }

  async readFile(id: string, path: string): Promise<{ stream: NodeJS.ReadableStream; size: number; name: string }> {
    const o = this.opened(id);
    assertExtractable(o.analyzed.tree.get(path), path, 'this image');
    if (o.kind !== 'engine') throw new StageScopeError('usage', NOT_IN_ENGINE, null);
    const file = await openImageFile((await this.engine()).docker, o.analyzed.imageId, path);
    return { stream: file.stream, size: file.size, name: file.name };
  }
}
