// "Open image…": a reference (engine name, saved .tar, oci:DIR[:tag], oci-archive:FILE,
// registry:HOST/REPO:TAG) opened outside any project. An index asks for a platform first; the
// opened image then joins the app's images (AppState.addImage), shown and diffed like a stage.
import type { OpenedImageInfo, StageScopeApi } from '../../../shared/api.ts';

export class ImageOpener {
  ref = $state('');
  /** Platforms of the reference's index; empty when it names one image. */
  platforms = $state.raw<string[]>([]);
  platform = $state('');
  busy = $state(false);
  error = $state.raw<unknown>(null);

  constructor(
    private readonly api: StageScopeApi,
    private readonly opened: (info: OpenedImageInfo) => void,
  ) {}

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
    const info = await this.api.request('image.open', { ref, ...(platform ? { platform } : {}) });
    this.platforms = [];
    this.ref = '';
    this.opened(info);
  }
}
