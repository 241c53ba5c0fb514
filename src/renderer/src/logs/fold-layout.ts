import { lineFlags, lineLength } from '../../../shared/log/log-lines';
import { LINE_SECTION_END, type LogSection, type ParsedLog } from '../../../shared/log/parse-log';

/**
 * Which lines of a log are rows on screen once sections are folded: runs of consecutive
 * visible lines ("segments"), so that a million lines with a few hundred sections cost a few
 * hundred numbers, not a million. Folding a section hides its lines but its header; the line
 * that only closes a section (`##[endgroup]`) is never shown.
 */
export interface FoldLayout {
  rowCount: number;
  segmentCount: number;
  /** First line of each segment. */
  segmentLines: Uint32Array;
  /** Row of each segment's first line; rows are numbered without gaps. */
  segmentRows: Uint32Array;
}

/** The sections folded when a log opens: the ones the CI server folds. */
export function defaultCollapsed(sections: readonly LogSection[]): Set<number> {
  return new Set(
    sections.filter((section) => section.collapsedByDefault).map((section) => section.id),
  );
}

function sectionEnd(log: ParsedLog, section: LogSection): number {
  return section.endLine === -1 ? log.lineCount - 1 : Math.min(section.endLine, log.lineCount - 1);
}

/** The rows of a log with the given sections folded. */
export function computeFoldLayout(log: ParsedLog, collapsed: ReadonlySet<number>): FoldLayout {
  // Hidden ranges [from, to], in order of `from` (sections are in order of their header line).
  const hidden: Array<[number, number]> = [];
  for (const section of log.sections) {
    if (section.headerLine >= log.lineCount) continue;
    const end = sectionEnd(log, section);
    if (collapsed.has(section.id) && end > section.headerLine) {
      hidden.push([section.headerLine + 1, end]);
    } else if ((lineFlags(log, end) & LINE_SECTION_END) !== 0 && end > section.headerLine) {
      hidden.push([end, end]);
    }
  }
  hidden.sort((a, b) => a[0] - b[0]);
  const lines: number[] = [];
  const rows: number[] = [];
  let next = 0;
  let row = 0;
  for (const [from, to] of hidden) {
    if (from > next) {
      lines.push(next);
      rows.push(row);
      row += from - next;
    }
    next = Math.max(next, to + 1);
  }
  if (next < log.lineCount) {
    lines.push(next);
    rows.push(row);
    row += log.lineCount - next;
  }
  return {
    rowCount: row,
    segmentCount: lines.length,
    segmentLines: Uint32Array.from(lines),
    segmentRows: Uint32Array.from(rows),
  };
}

/** The index of the last segment whose start (in `starts`) is at or before `value`. */
function segmentAt(starts: Uint32Array, count: number, value: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((starts[middle] ?? 0) <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The line shown in a row. */
export function lineOfRow(layout: FoldLayout, row: number): number {
  if (layout.segmentCount === 0) return 0;
  const segment = segmentAt(layout.segmentRows, layout.segmentCount, row);
  return (layout.segmentLines[segment] ?? 0) + row - (layout.segmentRows[segment] ?? 0);
}

/**
 * The row showing a line; a hidden line maps to the last row before it (the header of the
 * folded section it is in).
 */
export function rowOfLine(layout: FoldLayout, line: number): number {
  if (layout.segmentCount === 0) return 0;
  const segment = segmentAt(layout.segmentLines, layout.segmentCount, line);
  const start = layout.segmentLines[segment] ?? 0;
  const end =
    segment + 1 < layout.segmentCount
      ? (layout.segmentRows[segment + 1] ?? 0) - (layout.segmentRows[segment] ?? 0) + start
      : start + layout.rowCount - (layout.segmentRows[segment] ?? 0);
  const clamped = Math.min(Math.max(line, start), end - 1);
  return (layout.segmentRows[segment] ?? 0) + clamped - start;
}

/** The sections a line is inside (their ids), outermost first, header lines included. */
export function sectionsAround(log: ParsedLog, line: number): number[] {
  const around: number[] = [];
  for (const section of log.sections) {
    if (section.headerLine < line && line <= sectionEnd(log, section)) around.push(section.id);
  }
  return around;
}

/**
 * Heights of rows in line units. Without wrapping every row is one unit; with wrapping a row
 * takes as many units as its text needs at `columns` characters per line (the font is
 * monospace and lines break anywhere, so the count is exact for ordinary text).
 */
export interface RowGeometry {
  totalUnits: number;
  unitOfRow(row: number): number;
  unitsOfRow(row: number): number;
  rowAtUnit(unit: number): number;
}

export function flatGeometry(layout: FoldLayout): RowGeometry {
  return {
    totalUnits: layout.rowCount,
    unitOfRow: (row) => row,
    unitsOfRow: () => 1,
    rowAtUnit: (unit) => Math.min(Math.max(0, Math.floor(unit)), Math.max(0, layout.rowCount - 1)),
  };
}

/** Row geometry with wrapped lines; `maxColumns` caps the characters a row ever shows. */
export function wrappedGeometry(
  log: ParsedLog,
  layout: FoldLayout,
  columns: number,
  maxColumns: number,
): RowGeometry {
  const perRow = Math.max(1, columns);
  const prefix = new Float64Array(layout.rowCount + 1);
  let total = 0;
  for (let segment = 0; segment < layout.segmentCount; segment += 1) {
    const firstRow = layout.segmentRows[segment] ?? 0;
    const endRow =
      segment + 1 < layout.segmentCount ? (layout.segmentRows[segment + 1] ?? 0) : layout.rowCount;
    const firstLine = layout.segmentLines[segment] ?? 0;
    for (let row = firstRow; row < endRow; row += 1) {
      prefix[row] = total;
      const length = Math.min(maxColumns, lineLength(log, firstLine + row - firstRow));
      total += Math.max(1, Math.ceil(length / perRow));
    }
  }
  prefix[layout.rowCount] = total;
  return {
    totalUnits: total,
    unitOfRow: (row) => prefix[row] ?? total,
    unitsOfRow: (row) => (prefix[row + 1] ?? total) - (prefix[row] ?? total),
    rowAtUnit: (unit) => {
      let low = 0;
      let high = Math.max(0, layout.rowCount - 1);
      while (low < high) {
        const middle = (low + high + 1) >>> 1;
        if ((prefix[middle] ?? 0) <= unit) low = middle;
        else high = middle - 1;
      }
      return low;
    },
  };
}

/** How many lines folding a section hides (its closing marker line aside). */
export function foldedLines(log: ParsedLog, section: LogSection): number {
  const end = section.endLine === -1 ? log.lineCount - 1 : section.endLine;
  const marker = lineFlags(log, end) & LINE_SECTION_END ? 1 : 0;
  return Math.max(0, end - section.headerLine - marker);
}
