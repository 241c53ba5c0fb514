import type { RowGeometry } from './fold-layout';

/**
 * Which rows a virtualized list draws, and where. Rows are `lineHeight` tall (wrapped rows a
 * multiple); browsers cap an element's height (Chromium near 33 million px), so beyond
 * `maxScrollPx` the scrollbar maps onto the list proportionally instead of pixel for pixel.
 */
export interface VirtualWindow {
  /** Height of the spacer that gives the scrollbar its range. */
  physicalPx: number;
  /** Virtual pixels per scrolled pixel (1 unless the list is taller than `maxScrollPx`). */
  scale: number;
  firstVisible: number;
  lastVisible: number;
  /** Rows to draw, overscan included. */
  firstRow: number;
  lastRow: number;
  /** Where the first drawn row goes, from the top of the spacer. */
  offsetPx: number;
}

export interface WindowInput {
  geometry: RowGeometry;
  rowCount: number;
  scrollTop: number;
  viewportHeight: number;
  lineHeight: number;
  maxScrollPx: number;
  overscan: number;
}

/** The rows to draw for a scroll position. */
export function virtualWindow(input: WindowInput): VirtualWindow {
  const { geometry, lineHeight, viewportHeight, scrollTop } = input;
  const totalPx = geometry.totalUnits * lineHeight;
  const physicalPx = Math.min(totalPx, input.maxScrollPx);
  const scale =
    totalPx > physicalPx
      ? (totalPx - viewportHeight) / Math.max(1, physicalPx - viewportHeight)
      : 1;
  const virtualTop = scrollTop * scale;
  const firstVisible = geometry.rowAtUnit(virtualTop / lineHeight);
  const lastVisible = geometry.rowAtUnit((virtualTop + viewportHeight) / lineHeight);
  const firstRow = Math.max(0, firstVisible - input.overscan);
  const lastRow = Math.min(input.rowCount - 1, lastVisible + input.overscan);
  return {
    physicalPx,
    scale,
    firstVisible,
    lastVisible,
    firstRow,
    lastRow,
    offsetPx: scrollTop + geometry.unitOfRow(firstRow) * lineHeight - virtualTop,
  };
}

/** Where a row is put in view: centred, a third from the top, or the list's very end. */
export type Align = 'center' | 'third' | 'bottom';

/** The `scrollTop` that shows `row` as asked. */
export function scrollTopFor(
  row: number,
  align: Align,
  input: WindowInput,
  window: VirtualWindow,
): number {
  const { geometry, lineHeight, viewportHeight } = input;
  const target =
    align === 'bottom'
      ? geometry.totalUnits * lineHeight
      : geometry.unitOfRow(row) * lineHeight -
        (align === 'center' ? viewportHeight / 2 : viewportHeight / 3);
  return Math.max(0, Math.min(target / window.scale, window.physicalPx));
}
