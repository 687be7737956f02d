// "Open image…": an image opened by reference (engine, archive, OCI layout, registry) outside
// any project, with the platform picker an index needs, and the rows of its tree.
import type { OpenedImageInfo, StageScopeApi } from '../../../shared/api.ts';
import type { DiffResult, TreeRow } from '../../../shared/model.ts';

const ROW_LIMIT = 2000;

export class ImageState {
  ref = $state('');
  /** Platforms of the reference's index; empty when it names one image. */
  platforms = $state.raw<string[]>([]);
  platform = $state('');
  opened = $state.raw<OpenedImageInfo | null>(null);
  layer = $state<number | null>(null);
  filter = $state('');
  rows = $state.raw<TreeRow[]>([]);
  total = $state(0);
  /** Images opened this session (the engine keeps the last few), to compare with. */
  history = $state.raw<{ id: string; label: string }[]>([]);
  /** `image:<id>` or `stage:<index>`. */
  compareWith = $state('');
  diff = $state.raw<DiffResult | null>(null);
  busy = $state(false);
  error = $state.raw<unknown>(null);

  constructor(readonly api: StageScopeApi) {}

  private async run(fn: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await fn();
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  /** Step 1: an index asks for a platform first; a single image opens at once. */
  choose(): Promise<void> {
    return this.run(async () => {
      const ref = this.ref.trim();
      this.opened = null;
      this.platforms = await this.api.request('image.platforms', { ref });
      if (this.platforms.length > 1) {
        this.platform = this.platforms[0]!;
        return;
      }
      await this.load(ref, undefined);
    });
  }

  openPlatform(): Promise<void> {
    return this.run(() => this.load(this.ref.trim(), this.platform || undefined));
  }

  private async load(ref: string, platform: string | undefined): Promise<void> {
    const opened = await this.api.request('image.open', { ref, ...(platform ? { platform } : {}) });
    this.opened = opened;
    this.history = [
      { id: opened.id, label: opened.label + (platform ? ` (${platform})` : '') },
      ...this.history.filter((h) => h.id !== opened.id),
    ].slice(0, 4);
    this.diff = null;
    this.filter = '';
    this.layer = null;
    await this.fetchRows();
  }

  compare(): Promise<void> {
    return this.run(async () => {
      if (!this.opened || !this.compareWith) return;
      const [kind, value] = this.compareWith.split(':', 2) as [string, string];
      const b = kind === 'stage' ? { stage: Number(value) } : value;
      this.diff = await this.api.request('image.diff', { a: this.opened.id, b });
    });
  }

  showLayer(layer: number | null): Promise<void> {
    this.layer = layer;
    return this.run(() => this.fetchRows());
  }

  async fetchRows(): Promise<void> {
    if (!this.opened) return;
    const res = await this.api.request('image.rows', {
      image: this.opened.id,
      layer: this.layer,
      expanded: 'all',
      ...(this.filter.trim() ? { filter: this.filter.trim() } : {}),
      limit: ROW_LIMIT,
    });
    this.rows = res.rows;
    this.total = res.total;
  }
}
