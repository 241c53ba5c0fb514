/** The rows to put in the DOM for one scroll position. */
export type RowWindow = {
  /** First row rendered (inclusive). */
  start: number;
  /** Row after the last one rendered (exclusive). */
  end: number;
  /** Pixels above the first rendered row. */
  offset: number;
  /** Pixels all rows take. */
  total: number;
};

/**
 * Which rows of a fixed-row-height list are visible at a scroll position, plus `overscan` rows
 * either side so fast scrolling does not show blanks. Only these rows are rendered, so a list of
 * 10,000 builds costs what a list of 40 does. Pure.
 */
export function rowWindow(options: {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  overscan?: number;
}): RowWindow {
  const { rowHeight, count } = options;
  const overscan = options.overscan ?? 8;
  const total = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total: 0 };
  const top = Math.max(0, Math.min(options.scrollTop, total));
  const firstVisible = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, options.viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(count, firstVisible + visible + overscan);
  return { start, end, offset: start * rowHeight, total };
}

/** The scroll position that shows row `index` a third of the way down the viewport. */
export function scrollTopFor(
  index: number,
  options: { rowHeight: number; viewportHeight: number },
): number {
  return Math.max(0, index * options.rowHeight - Math.floor(options.viewportHeight / 3));
}

/** Older history should be read when the window comes within `margin` rows of the end. */
export function nearEnd(window: RowWindow, count: number, margin = 30): boolean {
  return count === 0 || window.end >= count - margin;
}
