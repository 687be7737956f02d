// Images opened by reference (the UI's "Open image…"), outside any project: each is read once
// through openImageSource, analyzed like a stage (tree, layers, efficiency) and kept, a few at
// a time, so the renderer pages through its tree, previews and extracts its files as a stage's.
// File contents come from the engine for engine images (a helper container), and from the
// layer that holds the file, read again from its source, for every other image.
import { randomBytes } from 'node:crypto';
import type { OpenedImageInfo, ResponseTypes, RequestArgs } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { connectEngine, type Connection } from '../docker/connection.ts';
import { chosenContext } from '../docker/contexts.ts';
import { LayerViews } from '../image/layer-views.ts';
import { assertExtractable, openImageFile, readImageFileHead, readStreamHead } from '../project/file-content.ts';
import { previewEntry, TEXT_PREVIEW_LIMIT } from '../project/preview.ts';
import type { AnalyzedImage } from '../project/stage-analysis.ts';
import { openSourceFile, type ReopenableSource } from './content/source-file.ts';
import { analyzeOneImage, imageSummary } from './inspect.ts';
import { listPlatforms } from './list-platforms.ts';
import type { OpenSourceOptions } from './types.ts';

const KEEP = 4;

interface Opened {
  analyzed: AnalyzedImage;
  /** Where file contents are read from: null for an engine image (the engine has them). */
  source: ReopenableSource | null;
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
    const options = this.options();
    const opened = await analyzeOneImage(ref, { ...options, platform, first: true });
    const { label, analyzed } = opened;
    const source: ReopenableSource | null =
      opened.ref.kind === 'engine'
        ? null
        : {
            ref: opened.ref,
            label,
            options: { caCertFile: options.caCertFile, insecure: options.insecure, env: options.env, homeDir: options.homeDir },
            blobs: opened.blobs,
          };
    const id = randomBytes(6).toString('hex');
    if (this.images.size >= KEEP) this.images.delete(this.images.keys().next().value!);
    this.images.set(id, { analyzed, source });
    return { id, label, imageId: analyzed.imageId, platform: platform ?? null, inEngine: source === null, ...imageSummary(analyzed) };
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
    const source = o.source;
    if (!source) {
      return previewEntry(meta, async () => readImageFileHead((await this.engine()).docker, o.analyzed.imageId, path, TEXT_PREVIEW_LIMIT));
    }
    return previewEntry(meta, async () => {
      const file = await openSourceFile(source, o.analyzed.layers, path);
      return { bytes: await readStreamHead(file.stream, TEXT_PREVIEW_LIMIT), size: file.size };
    }).catch((err: unknown) => {
      // A source gone or changed since it was opened: the metadata is still true, say why the content is not there.
      if (err instanceof StageScopeError) return previewEntry(meta, { unavailable: err.message });
      throw err;
    });
  }

  async readFile(id: string, path: string): Promise<{ stream: NodeJS.ReadableStream; size: number; name: string }> {
    const o = this.opened(id);
    assertExtractable(o.analyzed.tree.get(path), path, 'this image');
    if (o.source) return openSourceFile(o.source, o.analyzed.layers, path);
    const file = await openImageFile((await this.engine()).docker, o.analyzed.imageId, path);
    return { stream: file.stream, size: file.size, name: file.name };
  }
}
