// Where a tree, a file or a diff side comes from: a stage of the open project (the session
// answers) or an image opened by reference (OpenedImages). The handlers route every request
// with `{ image }` here, so an opened image is inspected and diffed exactly like a stage.
import type { DiffSide, RequestArgs, ResponseTypes } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import type { FileTree } from '../image/tree.ts';
import { semanticDiff } from '../image/semantic-diff.ts';
import { DiffCache } from '../project/diff-cache.ts';
import type { ProjectSessionApi } from '../project/types.ts';
import { OpenedImages } from '../source/opened-images.ts';

type Pair = RequestArgs<'diff.summary'>;
type FileSide = RequestArgs<'diff.file'>['a'];

const hasImage = (pair: { a: unknown; b: unknown }): boolean =>
  [pair.a, pair.b].some((s) => typeof s === 'object' && s !== null && 'image' in s);

export class Sides {
  readonly images = new OpenedImages();
  /** Diffs with an opened image on a side; the session keeps those of two stages. */
  private readonly diffs = new DiffCache((pair) => this.diff(pair));
  /** The report those diffs were made against: a new build makes its stage sides stale. */
  private report: unknown = null;

  constructor(private readonly session: () => ProjectSessionApi | null) {}

  private project(): ProjectSessionApi {
    const s = this.session();
    if (!s) throw new StageScopeError('usage', 'No project is open.', 'Open a project folder first.');
    return s;
  }

  private async tree(side: DiffSide): Promise<FileTree> {
    if ('image' in side) return this.images.get(side.image).tree;
    const s = this.project();
    if (!s.sideTree) throw new StageScopeError('usage', 'This session cannot compare stages with images.', null);
    return s.sideTree(side);
  }

  private async diff(pair: Pair) {
    return semanticDiff(await this.tree(pair.a), await this.tree(pair.b), { ignore: pair.ignore, include: pair.include });
  }

  private cache(): DiffCache {
    const report = this.session()?.report() ?? null;
    if (report !== this.report) this.diffs.clear();
    this.report = report;
    return this.diffs;
  }

  async treeRows(args: RequestArgs<'tree.rows'>): Promise<ResponseTypes['tree.rows']> {
    return 'image' in args ? this.images.rows(args) : this.project().treeRows(args);
  }

  diffSummary(pair: Pair): Promise<ResponseTypes['diff.summary']> {
    return hasImage(pair) ? this.cache().summary(pair) : this.project().diffSummary(pair);
  }

  diffRows(args: RequestArgs<'diff.rows'>): Promise<ResponseTypes['diff.rows']> {
    return hasImage(args) ? this.cache().rows(args) : this.project().diffRows(args);
  }

  preview(args: RequestArgs<'file.preview'>): Promise<ResponseTypes['file.preview']> {
    return 'image' in args ? this.images.preview(args.image, args.path) : this.project().preview(args);
  }

  readFile(side: { stage: number } | { image: string }, path: string) {
    return 'image' in side ? this.images.readFile(side.image, path) : this.project().readFile(side.stage, path);
  }

  async diffFile(args: RequestArgs<'diff.file'>): Promise<ResponseTypes['diff.file']> {
    const { a, b, path } = args;
    if (typeof a === 'number' && typeof b === 'number') return this.project().diffFile({ a, b, path });
    const [before, after] = await Promise.all([this.text(a, path), this.text(b, path)]);
    return {
      before: before.text,
      after: after.text,
      binary: before.binary || after.binary,
      truncated: before.truncated || after.truncated,
    };
  }

  /** A side's file as text for the side-by-side (null where it is absent or not text). */
  private async text(side: FileSide, path: string): Promise<{ text: string | null; binary: boolean; truncated: boolean }> {
    const none = { text: null, binary: false, truncated: false };
    const p = await this.preview({ ...(typeof side === 'number' ? { stage: side } : side), path }).catch((err: unknown) => {
      if (err instanceof StageScopeError && err.code === 'not-found') return null;
      throw err;
    });
    if (!p || (p.kind !== 'text' && p.kind !== 'binary')) return none;
    if (p.unavailable) throw new StageScopeError('usage', p.unavailable, null);
    return p.kind === 'text' ? { text: p.text, binary: false, truncated: p.truncated } : { ...none, binary: true };
  }
}
