// The session's side of history and lineage (issue 11): the requests the UI makes about the
// current analysis: its snapshots, the comparison with one, why a file is there, and a diff
// whose sides can be stages of a snapshot. Baseline trees are kept in a small LRU.
import type { DiffSide, RequestArgs, ResponseTypes } from '../../../shared/api.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import type { DiffResult } from '../../../shared/model.ts';
import { compareAnalysis, layersInMemory } from '../history/compare.ts';
import { loadSnapshotTree, resolveBaseline, SnapshotStore, snapshotSummary, type ComparableSnapshot } from '../history/index.ts';
import { LayerCache } from '../image/cache/index.ts';
import { semanticDiff } from '../image/semantic-diff.ts';
import type { FileTree } from '../image/tree.ts';
import { whyPath } from '../lineage/why.ts';
import type { Analysis } from './analyze.ts';

export class HistorySession {
  private trees = new Map<string, FileTree>();
  private store: Promise<SnapshotStore> | null = null;

  constructor(private readonly analysis: () => Analysis) {}

  private openStore(): Promise<SnapshotStore> {
    this.store ??= SnapshotStore.open().catch((err) => {
      this.store = null;
      throw err;
    });
    return this.store;
  }

  private async baseline(ref: string | undefined): Promise<ComparableSnapshot> {
    const a = this.analysis();
    const store = await this.openStore();
    const layerCache = await LayerCache.open().catch(() => null);
    return resolveBaseline(ref ?? 'last', {
      store,
      dockerfile: a.model.path,
      target: a.report.target,
      exclude: a.snapshot?.id,
      layerCache,
    });
  }

  async list(): Promise<ResponseTypes['history.list']> {
    const a = this.analysis();
    return (await (await this.openStore()).list(a.model.path)).map(snapshotSummary);
  }

  async compare(args: RequestArgs<'history.compare'>): Promise<ResponseTypes['history.compare']> {
    return compareAnalysis(this.analysis(), await this.baseline(args.baseline), { ignore: args.ignore, include: args.include });
  }

  why(args: RequestArgs<'lineage.why'>): ResponseTypes['lineage.why'] {
    return whyPath(this.analysis(), args.stage, args.path);
  }

  /** A stage's tree now, or as a snapshot recorded it. */
  async tree(side: Exclude<DiffSide, { image: string }>): Promise<FileTree> {
    if (!side.snapshot) {
      const img = this.analysis().stages.get(side.stage);
      if (!img) throw new StageScopeError('not-found', `Stage ${side.stage} was not built.`, 'Build it and try again.');
      return img.tree;
    }
    const base = await this.baseline(side.snapshot);
    const key = `${base.snapshot.id}:${side.stage}`;
    let tree = this.trees.get(key);
    if (!tree) {
      const loaded = await loadSnapshotTree(base, side.stage, layersInMemory(this.analysis()));
      if (!loaded) {
        throw new StageScopeError(
          'not-found',
          `Stage ${side.stage} of snapshot ${base.snapshot.id} cannot be shown: it was not built then, or its file indexes are gone.`,
          'Pick another snapshot or stage.',
        );
      }
      tree = loaded.tree;
      if (this.trees.size >= 4) this.trees.delete(this.trees.keys().next().value!);
      this.trees.set(key, tree);
    }
    return tree;
  }

  /** The whole diff of two sides: the session pages it as rows (DiffCache), never ships it. */
  async diff(args: RequestArgs<'diff.summary'>): Promise<DiffResult> {
    // Opened images are not the project's: the handlers diff them (api/sides.ts).
    const tree = (side: DiffSide) => {
      if ('image' in side) throw new StageScopeError('usage', 'An opened image is not a stage of this project.', null);
      return this.tree(side);
    };
    return semanticDiff(await tree(args.a), await tree(args.b), { ignore: args.ignore, include: args.include });
  }
}
