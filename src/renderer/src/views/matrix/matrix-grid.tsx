import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import type { BuildSummary } from '../../../../shared/model';
import type { GateMark } from '../../store/slices/matrix-slice';
import type { MatrixColumn } from './matrix-columns';
import { MatrixRow } from './matrix-row';
import { nearEnd, rowWindow, scrollTopFor } from './virtual-window';

/** Every row is this tall, which is what lets the list render only the rows in view. */
export const MATRIX_ROW_HEIGHT = 36;
const HEAD_HEIGHT = 58;
const FOOT_HEIGHT = 44;
/** Build number, commit, author, branch, age. */
const BUILD_COLUMNS = [76, 78, 136, 112, 76] as const;
const BUILD_WIDTH = BUILD_COLUMNS.reduce((sum, width) => sum + width, 0);
const STAGE_WIDTH = 104;
const GATE_WIDTH = 138;

/** The grid template of the head and every row. */
function template(columns: readonly MatrixColumn[]): { columns: string; width: number } {
  const widths = columns.map((column) => (column.isGate ? GATE_WIDTH : STAGE_WIDTH));
  return {
    columns: [`${BUILD_WIDTH}px`, ...widths.map((width) => `${width}px`)].join(' '),
    width: BUILD_WIDTH + widths.reduce((sum, width) => sum + width, 0),
  };
}

function useElementHeight(ref: RefObject<HTMLElement | null>): number {
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return height;
}

/** Scroll to a row from outside (the jump to the first failure). */
export type MatrixScroller = { scrollToRow(index: number): void };

type MatrixGridProps = {
  builds: readonly BuildSummary[];
  columns: readonly MatrixColumn[];
  gates: Readonly<Record<number, GateMark[]>>;
  complete: boolean;
  loadingOlder: boolean;
  targetBuildId: number | null;
  onNearEnd(): void;
  /** The rows in the DOM changed: `start` inclusive, `end` exclusive. */
  onVisibleRange(start: number, end: number): void;
  scrollerRef: RefObject<MatrixScroller | null>;
};

/**
 * The build matrix: a head of stage names, then one row per build, newest first. Only the rows in
 * view (and a few either side) are in the DOM; coming near the end asks for older history.
 * Arrow keys move between cells, Enter opens one.
 */
export function MatrixGrid(props: MatrixGridProps) {
  const { builds, columns, gates, complete, loadingOlder, targetBuildId } = props;
  const { onNearEnd, onVisibleRange, scrollerRef } = props;
  const scroll = useRef<HTMLDivElement>(null);
  const viewportHeight = useElementHeight(scroll);
  const [scrollTop, setScrollTop] = useState(0);
  const [active, setActive] = useState({ row: 0, column: 0 });
  const frame = useRef<number | null>(null);
  const grid = template(columns);
  const rowsHeight = Math.max(0, viewportHeight - HEAD_HEIGHT);
  const range = rowWindow({
    scrollTop,
    viewportHeight: rowsHeight,
    rowHeight: MATRIX_ROW_HEIGHT,
    count: builds.length,
  });
  const visible = builds.slice(range.start, range.end);

  const onScroll = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setScrollTop(scroll.current?.scrollTop ?? 0);
    });
  }, []);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const wantsOlder = nearEnd(range, builds.length) && !complete && !loadingOlder;
  useEffect(() => {
    if (wantsOlder) onNearEnd();
  }, [wantsOlder, builds.length, onNearEnd]);

  useEffect(() => onVisibleRange(range.start, range.end), [range.start, range.end, onVisibleRange]);

  useEffect(() => {
    scrollerRef.current = {
      scrollToRow(index) {
        const element = scroll.current;
        if (!element) return;
        element.scrollTop = scrollTopFor(index, {
          rowHeight: MATRIX_ROW_HEIGHT,
          viewportHeight: rowsHeight,
        });
        setScrollTop(element.scrollTop);
        setActive((current) => ({ ...current, row: index }));
      },
    };
  }, [scrollerRef, rowsHeight]);

  function focusCell(row: number, column: number): void {
    const element = scroll.current;
    if (!element) return;
    const top = row * MATRIX_ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + MATRIX_ROW_HEIGHT > element.scrollTop + rowsHeight) {
      element.scrollTop = top + MATRIX_ROW_HEIGHT - rowsHeight;
    }
    setScrollTop(element.scrollTop);
    setActive({ row, column });
    requestAnimationFrame(() =>
      element
        .querySelector<HTMLElement>(`[data-row-index="${row}"][data-column-index="${column}"]`)
        ?.focus({ preventScroll: true }),
    );
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const target = event.target as HTMLElement;
    const row = Number(target.dataset['rowIndex']);
    const column = Number(target.dataset['columnIndex']);
    if (!Number.isInteger(row) || !Number.isInteger(column)) return;
    const page = Math.max(1, Math.floor(rowsHeight / MATRIX_ROW_HEIGHT) - 1);
    const moves: Record<string, [number, number]> = {
      ArrowDown: [row + 1, column],
      ArrowUp: [row - 1, column],
      ArrowRight: [row, column + 1],
      ArrowLeft: [row, column - 1],
      PageDown: [row + page, column],
      PageUp: [row - page, column],
      Home: [row, 0],
      End: [row, columns.length],
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const nextRow = Math.max(0, Math.min(builds.length - 1, move[0]));
    const nextColumn = Math.max(0, Math.min(columns.length, move[1]));
    focusCell(nextRow, nextColumn);
  }

  const activeRow = Math.min(active.row, Math.max(0, builds.length - 1));
  return (
    <div
      className="matrix-scroll"
      ref={scroll}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        const target = event.target as HTMLElement;
        const row = Number(target.dataset['rowIndex']);
        const column = Number(target.dataset['columnIndex']);
        if (Number.isInteger(row) && Number.isInteger(column)) setActive({ row, column });
      }}
      role="grid"
      aria-label="Build matrix: builds by stage"
      aria-rowcount={builds.length + 1}
      aria-colcount={columns.length + 1}
      style={{ '--matrix-columns': grid.columns } as CSSProperties}
    >
      <div
        className="matrix-canvas"
        style={{ width: grid.width, height: HEAD_HEIGHT + range.total + FOOT_HEIGHT }}
      >
        <div className="matrix-head" role="row" aria-rowindex={1} style={{ height: HEAD_HEIGHT }}>
          <div className="matrix-build matrix-build--head" role="columnheader">
            <span>Build</span>
            <span>Commit</span>
            <span>Author</span>
            <span>Branch</span>
            <span>Age</span>
          </div>
          {columns.map((column) => (
            <div
              key={column.name}
              className={`matrix-stage-head${column.isGate ? ' matrix-stage-head--gate' : ''}`}
              role="columnheader"
              title={column.isGate ? `${column.name} (manual gate)` : column.name}
              data-testid="matrix-column"
              data-stage={column.name}
            >
              {column.isGate ? (
                <span className="gate-mark" aria-hidden="true">
                  ◆
                </span>
              ) : null}
              <span className="matrix-stage-name">{column.name}</span>
            </div>
          ))}
        </div>
        <div className="matrix-rows" role="rowgroup" style={{ top: HEAD_HEIGHT + range.offset }}>
          {visible.map((build, index) => {
            const rowIndex = range.start + index;
            return (
              <MatrixRow
                key={build.id}
                build={build}
                columns={columns}
                gates={gates[build.id]}
                rowIndex={rowIndex}
                activeColumn={rowIndex === activeRow ? active.column : null}
                isTarget={build.id === targetBuildId}
              />
            );
          })}
        </div>
        <p className="matrix-foot" style={{ top: HEAD_HEIGHT + range.total, height: FOOT_HEIGHT }}>
          {loadingOlder
            ? 'Loading older builds…'
            : complete
              ? builds.length > 0
                ? `The beginning of this history: ${builds.length} builds.`
                : null
              : ''}
        </p>
      </div>
    </div>
  );
}
