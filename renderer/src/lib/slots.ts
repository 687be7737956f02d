// Row recycling for fixed-height virtual lists: a fixed pool of slots, slot s always shows the
// row i of the window with i % count === s. A scroll by a few rows re-labels only the slots
// that left the window, a jump re-labels all of them, and no element is ever created or
// destroyed while scrolling (building rows on a jump is what made long frames).

/** How many slots a viewport needs: the rows it can show partly, plus `overscan` on each side. */
export function slotCount(viewportPx: number, rowHeight: number, overscan: number): number {
  return Math.ceil(Math.max(0, viewportPx) / rowHeight) + 1 + 2 * overscan;
}

/** The first row of the window at a scroll offset (`overscan` rows above the viewport). */
export function windowStart(scrollTop: number, rowHeight: number, overscan: number): number {
  return Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
}

/** The row that slot `slot` shows when the window starts at `start`: in [start, start + count). */
export function rowOfSlot(slot: number, start: number, count: number): number {
  return start + ((((slot - start) % count) + count) % count);
}

/** The scroll offset that brings row `index` into view with the least movement. */
export function scrollToShow(index: number, rowHeight: number, scrollTop: number, viewportPx: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportPx) return Math.max(0, top + rowHeight - viewportPx);
  return scrollTop;
}
