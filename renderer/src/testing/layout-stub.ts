// jsdom has no layout engine. virtua (the Diff view's list) and FileTree measure their viewport
// with ResizeObserver / clientHeight and scroll with element.scrollTo; give them a fixed
// viewport so the virtual lists render a realistic window.
// virtua positions items absolutely; those are measured as one row of ITEM_HEIGHT (pass the
// same value as the list's `itemSize`), everything else as the viewport.
export const VIEWPORT_HEIGHT = 480;
export const ITEM_HEIGHT = 24;

export function installLayoutStub(): void {
  class FixedResizeObserver {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      const isItem = (target as HTMLElement).style?.position === 'absolute';
      const height = isItem ? ITEM_HEIGHT : VIEWPORT_HEIGHT;
      const entry = { target, contentRect: { width: 800, height } } as unknown as ResizeObserverEntry;
      queueMicrotask(() => this.callback([entry], this as unknown as ResizeObserver));
    }
    unobserve() {}
    disconnect() {}
  }
  globalThis.ResizeObserver = FixedResizeObserver as unknown as typeof ResizeObserver;
  window.ResizeObserver = globalThis.ResizeObserver;
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => VIEWPORT_HEIGHT });
  Object.defineProperty(HTMLElement.prototype, 'offsetParent', {
    configurable: true,
    get(this: HTMLElement) {
      return this.parentElement;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
  // Scrolling: remember the offset and fire the scroll event the lists listen for.
  const offsets = new WeakMap<Element, number>();
  Object.defineProperty(Element.prototype, 'scrollTop', {
    configurable: true,
    get(this: Element) {
      return offsets.get(this) ?? 0;
    },
    set(this: Element, v: number) {
      offsets.set(this, v);
    },
  });
  Element.prototype.scrollTo = function (this: Element, arg?: ScrollToOptions | number, y?: number) {
    const top = typeof arg === 'object' ? (arg.top ?? 0) : (y ?? 0);
    offsets.set(this, top);
    this.dispatchEvent(new Event('scroll'));
  } as Element['scrollTo'];
}
