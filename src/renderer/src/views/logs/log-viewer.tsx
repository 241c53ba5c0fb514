import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { rawPieces } from '../../../../shared/log/log-lines';
import type { ParsedLog } from '../../../../shared/log/parse-log';
import { firstMatchAtOrAfter, type SearchQuery } from '../../../../shared/log/search-log';
import { looksOf, matchesOnLine } from '../../logs/line-spans';
import {
  computeFoldLayout,
  flatGeometry,
  foldedLines,
  lineOfRow,
  rowOfLine,
  sectionsAround,
  wrappedGeometry,
} from '../../logs/fold-layout';
import { useFindShortcut } from '../../logs/use-find-shortcut';
import { useLogSearch } from '../../logs/use-log-search';
import { useParsedLog, useReadReports, type LogTextSource } from '../../logs/use-parsed-log';
import { useCharacterWidth, useScrollBox } from '../../logs/use-scroll-box';
import { scrollTopFor, virtualWindow, type Align } from '../../logs/virtual-window';
import { absoluteLink, copyText } from '../../logs/log-actions';
import { downloadText } from '../common/download';
import { LINE_DISPLAY_LIMIT, LogLine } from './log-line';
import { LogReadNotice } from './log-read-notice';
import { LogToolbar } from './log-toolbar';
import '../../styles/logs.css';

/** Every row is this tall (wrapped rows a multiple of it): the virtual list's whole trick. */
export const LINE_HEIGHT = 20;
/** Rows drawn above and below the visible ones, so fast scrolling rarely shows a gap. */
const OVERSCAN = 30;
/** Taller than this, the scrollbar maps onto the log proportionally (see `virtualWindow`). */
const MAX_SCROLL_PX = 8_000_000;

export interface LogViewerProps {
  /** The log's text, read piece by piece; the first lines paint once the first piece is in. */
  source: LogTextSource;
  /** False while the log is still growing: the view follows its end if it is at the end. */
  complete: boolean;
  /** Told whether the current source has been read and parsed to its end. */
  onRead?(done: boolean): void;
  /** Told when the source fails partway (the lines read so far stay on screen). */
  onReadError?(error: unknown): void;
  /** Reads the log again after a failure ("Try again"). */
  onRetryRead?(): void;
  /** 1-based line of a permalink, else the view opens at the first error. */
  initialLine: number | null;
  /** The permalink of a 1-based line (a hash). */
  lineHref(line: number): string;
  downloadName: string;
  webUrl: string | null;
  /** 1-based lines to mark as new (compared with the last green build). */
  newLines?: ReadonlySet<number>;
  /** More controls for the toolbar (comparing with the last green build). */
  toolbarExtra?(tools: LogViewerTools): ReactNode;
}

/** What the owner's toolbar controls may do with the viewer. */
export interface LogViewerTools {
  /** Selects a 1-based line and scrolls it into view, unfolding its sections. */
  goToLine(line: number): void;
  /** The 1-based line at the top of the view. */
  topLine: number;
}

type ScrollTarget = { line: number; align: Align; onlyIfHidden: boolean };

/**
 * A virtualized log viewer: only the rows in view (plus overscan) are in the DOM, so opening a
 * million-line log costs what opening a short one does. Opens at the permalinked line or the
 * first error, with the sections around it unfolded.
 */
export function LogViewer(props: LogViewerProps) {
  const positioned = useRef(false);
  const following = useRef(false);
  const { log, version, progress, error, readFrom } = useParsedLog(
    props.source,
    (parsed, replaced) => {
      if (!positioned.current) openAtStart(parsed);
      // A live log that grew: stay where the reader is, unless they were following the end.
      else if (replaced && following.current) reveal(parsed.lineCount - 1, 'bottom');
    },
  );
  useReadReports(readFrom === props.source && (log?.done ?? false), error, props);
  const [overrides, setOverrides] = useState<ReadonlyMap<number, boolean>>(new Map());
  const [query, setQuery] = useState<SearchQuery>({ text: '', regex: false, caseSensitive: false });
  const [chosenMatch, setChosenMatch] = useState<{ key: string; index: number } | null>(null);
  const [wrap, setWrap] = useState(false);
  const [showTimestamps, setShowTimestamps] = useState(true);
  const [selection, setSelection] = useState<{ routeLine: number | null; line: number | null }>({
    routeLine: props.initialLine,
    line: props.initialLine === null ? null : props.initialLine - 1,
  });
  // A permalink opened while the viewer is open (the hash changed): select and show its line.
  if (selection.routeLine !== props.initialLine) {
    setSelection({
      routeLine: props.initialLine,
      line: props.initialLine === null ? selection.line : props.initialLine - 1,
    });
    if (props.initialLine !== null && log) reveal(props.initialLine - 1, 'center', true);
  }
  const selectedLine = selection.line;
  const [copied, setCopied] = useState(false);
  const [scrollTarget, setScrollTarget] = useState<ScrollTarget | null>(null);
  const performedScroll = useRef<ScrollTarget | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const box = useScrollBox(body);
  const [characterWidth, probe] = useCharacterWidth();

  const collapsed = useMemo(() => {
    const set = new Set<number>();
    for (const section of log?.sections ?? []) {
      if (overrides.get(section.id) ?? section.collapsedByDefault) set.add(section.id);
    }
    return set;
    // `version` stands for sections added to the same log object while it is parsed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [log, version, overrides]);
  const layout = useMemo(
    () => (log ? computeFoldLayout(log, collapsed) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [log, version, collapsed],
  );
  const digits = String(Math.max(1, log?.lineCount ?? 1)).length;
  const timestamps = showTimestamps && (log?.hasTimestamps ?? false);
  const columns = Math.floor(
    (box.width - (digits + 2 + (timestamps ? 10 : 0)) * characterWidth - 28) / characterWidth,
  );
  const geometry = useMemo(() => {
    if (!log || !layout) return null;
    return wrap ? wrappedGeometry(log, layout, columns, LINE_DISPLAY_LIMIT) : flatGeometry(layout);
  }, [log, layout, wrap, columns]);

  const windowInput = geometry
    ? {
        geometry,
        rowCount: layout?.rowCount ?? 0,
        scrollTop: box.scrollTop,
        viewportHeight: box.height,
        lineHeight: LINE_HEIGHT,
        maxScrollPx: MAX_SCROLL_PX,
        overscan: OVERSCAN,
      }
    : null;
  const view = windowInput ? virtualWindow(windowInput) : null;
  const firstVisible = view?.firstVisible ?? 0;

  // A new query: go to its first match at or below the top of the view, once it is found.
  const topLine = layout ? lineOfRow(layout, firstVisible) : 0;
  const topLineRef = useRef(topLine);
  useEffect(() => {
    topLineRef.current = topLine;
  });
  const chosenRef = useRef(chosenMatch);
  useEffect(() => {
    chosenRef.current = chosenMatch;
  });
  const search = useLogSearch(log, version, query, (state) => {
    const matches = state.matches;
    if (!matches || matches.count === 0 || chosenRef.current?.key === state.key) return;
    const index = firstMatchAtOrAfter(matches, topLineRef.current);
    if (index >= matches.count && state.searching) return;
    const chosen = index >= matches.count ? 0 : index;
    chosenRef.current = { key: state.key, index: chosen };
    setChosenMatch(chosenRef.current);
    reveal(matches.lines[chosen] ?? 0, 'center', true);
  });
  const matchCount = search.matches?.count ?? 0;
  const currentMatch =
    chosenMatch !== null && chosenMatch.key === search.key && chosenMatch.index < matchCount
      ? chosenMatch.index
      : -1;

  // Performs a requested scroll once the layout that contains the line has rendered.
  useLayoutEffect(() => {
    const request = scrollTarget;
    const element = body.current;
    if (!request || request === performedScroll.current) return;
    if (!element || !layout || !windowInput || !view) return;
    performedScroll.current = request;
    const row = rowOfLine(layout, request.line);
    if (request.onlyIfHidden && row > view.firstVisible && row < view.lastVisible) return;
    element.scrollTop = scrollTopFor(row, request.align, windowInput, view);
  });

  /** Unfolds the sections around a line and scrolls it into view after the next render. */
  function reveal(line: number, align: Align, onlyIfHidden = false): void {
    const around = log ? sectionsAround(log, line) : [];
    setOverrides((previous) => {
      if (around.every((id) => previous.get(id) === false)) return previous;
      const next = new Map(previous);
      for (const id of around) next.set(id, false);
      return next;
    });
    setScrollTarget({ line, align, onlyIfHidden });
  }

  /** Opens at the permalinked line, else at the first error, else (a live log) at the end. */
  function openAtStart(parsed: ParsedLog): void {
    const { initialLine } = props;
    if (initialLine !== null) {
      if (initialLine - 1 < parsed.lineCount) revealIn(parsed, initialLine - 1, 'center');
      else if (!parsed.done) return;
      positioned.current = true;
    } else if (parsed.firstErrorLine >= 0) {
      revealIn(parsed, parsed.firstErrorLine, 'third');
      positioned.current = true;
    } else if (parsed.done) {
      if (!props.complete) {
        following.current = true;
        revealIn(parsed, parsed.lineCount - 1, 'bottom');
      }
      positioned.current = true;
    }
  }

  /** `reveal` for a log that may not be the rendered one yet (it is being parsed). */
  function revealIn(parsed: ParsedLog, line: number, align: Align): void {
    const around = sectionsAround(parsed, line);
    setOverrides((previous) => {
      const next = new Map(previous);
      for (const id of around) next.set(id, false);
      return next;
    });
    setScrollTarget({ line, align, onlyIfHidden: false });
  }

  const onQuery = (next: SearchQuery): void => {
    setChosenMatch(null);
    setQuery(next);
  };

  const step = (direction: 1 | -1): void => {
    const matches = search.matches;
    if (!matches || matches.count === 0) return;
    const next =
      currentMatch < 0
        ? direction === 1
          ? 0
          : matches.count - 1
        : (currentMatch + direction + matches.count) % matches.count;
    setChosenMatch({ key: search.key, index: next });
    reveal(matches.lines[next] ?? 0, 'center', true);
  };

  useFindShortcut(searchInput);
  const looks = useMemo(() => looksOf(log), [log]);

  const toggle = useCallback(
    (sectionId: number) => {
      const section = log?.sections[sectionId];
      if (!section) return;
      setOverrides((previous) => {
        const next = new Map(previous);
        next.set(sectionId, !(previous.get(sectionId) ?? section.collapsedByDefault));
        return next;
      });
    },
    [log],
  );

  const { lineHref } = props;
  const select = useCallback(
    (line: number, event: MouseEvent<HTMLAnchorElement>) => {
      event.preventDefault();
      setSelection((previous) => ({ ...previous, line }));
      // The address bar becomes the permalink without a navigation (and without a re-render).
      window.history.replaceState(window.history.state, '', lineHref(line + 1));
    },
    [lineHref],
  );

  const copyLink = (): void => {
    if (selectedLine === null) return;
    void copyText(absoluteLink(props.lineHref(selectedLine + 1))).then((done) => {
      setCopied(done);
      if (done) setTimeout(() => setCopied(false), 2000);
    });
  };

  const rows = [];
  if (log && layout && view) {
    for (let row = view.firstRow; row <= view.lastRow; row += 1) {
      const line = lineOfRow(layout, row);
      const sectionId = log.sectionByHeader.get(line);
      const section = sectionId === undefined ? null : (log.sections[sectionId] ?? null);
      rows.push(
        <LogLine
          key={line}
          log={log}
          line={line}
          looks={looks}
          matches={matchesOnLine(search.matches, line, currentMatch)}
          section={section}
          collapsed={section !== null && collapsed.has(section.id)}
          foldedLines={
            section !== null && collapsed.has(section.id) ? foldedLines(log, section) : 0
          }
          selected={line === selectedLine}
          firstError={line === log.firstErrorLine}
          isNew={props.newLines?.has(line + 1) ?? false}
          showTimestamp={timestamps}
          href={props.lineHref(line + 1)}
          onSelect={select}
          onToggle={toggle}
        />,
      );
    }
  }

  const stopOpening = (): void => {
    // Someone scrolls before the log is positioned: leave them where they go.
    if (log && !log.done) positioned.current = true;
  };
  const onScroll = (): void => {
    const element = body.current;
    if (!element) return;
    following.current =
      element.scrollTop + element.clientHeight >= element.scrollHeight - LINE_HEIGHT * 2;
  };

  return (
    <section
      className={`log-viewer${wrap ? ' log-viewer--wrap' : ''}`}
      data-testid="log-viewer"
      data-line-count={log?.lineCount ?? 0}
      data-parsed={log?.done ? 'true' : 'false'}
      data-first-error-line={log && log.firstErrorLine >= 0 ? log.firstErrorLine + 1 : undefined}
      style={{ '--log-gutter': `${digits + 1}ch` } as CSSProperties}
      aria-label="Log"
    >
      <LogToolbar
        query={query}
        onQuery={onQuery}
        search={search}
        currentMatch={currentMatch}
        onStep={step}
        searchInput={searchInput}
        lineCount={log?.lineCount ?? 0}
        firstErrorLine={log?.firstErrorLine ?? -1}
        errorCount={log?.errorLines.length ?? 0}
        onFirstError={() => log && reveal(log.firstErrorLine, 'third')}
        wrap={wrap}
        onWrap={setWrap}
        hasTimestamps={log?.hasTimestamps ?? false}
        showTimestamps={showTimestamps}
        onTimestamps={setShowTimestamps}
        hasSections={(log?.sections.length ?? 0) > 0}
        onFoldAll={(fold) =>
          setOverrides(new Map((log?.sections ?? []).map((section) => [section.id, fold])))
        }
        selectedLine={selectedLine}
        onCopyLink={copyLink}
        copied={copied}
        onDownload={() =>
          log && downloadText(props.downloadName, 'text/plain;charset=utf-8', rawPieces(log))
        }
        downloadReady={log?.done ?? false}
        webUrl={props.webUrl}
        progress={log ? progress : 0}
        extra={props.toolbarExtra?.({
          goToLine: (line) => {
            setSelection((previous) => ({ ...previous, line: line - 1 }));
            reveal(line - 1, 'center');
          },
          topLine: topLine + 1,
        })}
      />
      <div
        className="log-body"
        ref={body}
        tabIndex={0}
        aria-label="Log lines"
        onScroll={onScroll}
        onWheel={stopOpening}
        onPointerDown={stopOpening}
      >
        <div className="log-spacer" style={{ height: view?.physicalPx ?? 0 }}>
          <div className="log-window" style={{ transform: `translateY(${view?.offsetPx ?? 0}px)` }}>
            {rows}
          </div>
        </div>
        <LogReadNotice log={log} error={error} onRetry={props.onRetryRead} />
      </div>
      <span className="log-probe" ref={probe} aria-hidden="true">
        0000000000
      </span>
    </section>
  );
}
