// The one way a view loads data from the engine: data, error and loading as runes, and
// latest-wins. Only the request started last may write: a slow answer to an older question
// (file A, clicked before file B) never overwrites a newer one, nor does its error.
import { untrack } from 'svelte';

export class Latest<T> {
  data = $state.raw<T | null>(null);
  error = $state.raw<unknown>(null);
  loading = $state(false);
  private seq = 0;

  /** Start a request (null: nothing to load). What was shown before is cleared at once. */
  load(request: (() => Promise<T>) | null): Promise<void> {
    const mine = ++this.seq;
    this.data = null;
    this.error = null;
    this.loading = request !== null;
    if (!request) return Promise.resolve();
    return request().then(
      (data) => {
        if (mine !== this.seq) return;
        this.data = data;
        this.loading = false;
      },
      (error: unknown) => {
        if (mine !== this.seq) return;
        this.error = error;
        this.loading = false;
      },
    );
  }

  /** Forget what is in flight (the component is going away, or the question is gone). */
  drop(): void {
    this.seq++;
  }
}

/**
 * Inside a component: load whenever the reactive values `request` reads change. `request`
 * returns the call to make, or null when there is nothing to ask; the call itself runs
 * untracked, so only the question's inputs re-trigger it.
 */
export function latest<T>(request: () => (() => Promise<T>) | null): Latest<T> {
  const state = new Latest<T>();
  $effect(() => {
    const call = request();
    untrack(() => void state.load(call));
    return () => state.drop();
  });
  return state;
}
