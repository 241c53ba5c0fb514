import { memo, type MouseEvent } from 'react';
import { lineFlags, lineSegments, lineTimestamp } from '../../../../shared/log/log-lines';
import {
  LINE_COMMAND,
  LINE_DEBUG,
  LINE_ERROR,
  LINE_HEADER,
  LINE_NOTICE,
  LINE_SECTION_START,
  LINE_STDERR,
  LINE_TRACE,
  LINE_WARNING,
  type LogSection,
  type ParsedLog,
} from '../../../../shared/log/parse-log';
import { lineSpans, type LineMatch, type LineSpan, type SpanLook } from '../../logs/line-spans';

/** Characters of one line drawn at most; the rest stays searchable and downloadable. */
export const LINE_DISPLAY_LIMIT = 10_000;

export interface LogLineProps {
  log: ParsedLog;
  /** 0-based. */
  line: number;
  looks: (style: number) => SpanLook;
  matches: readonly LineMatch[];
  /** The section this line opens, if any, and whether it is folded. */
  section: LogSection | null;
  collapsed: boolean;
  /**
   * Lines a folded section hides (0 when unfolded). A prop, not read from `section`: sections
   * of a log still being parsed are completed in place, which `memo` would not notice.
   */
  foldedLines: number;
  selected: boolean;
  firstError: boolean;
  isNew: boolean;
  showTimestamp: boolean;
  href: string;
  onSelect(line: number, event: MouseEvent<HTMLAnchorElement>): void;
  onToggle(sectionId: number): void;
}

function flagClasses(flags: number): string {
  let classes = '';
  if (flags & LINE_ERROR) classes += ' log-line--error';
  else if (flags & LINE_TRACE) classes += ' log-line--trace';
  if (flags & LINE_WARNING) classes += ' log-line--warning';
  if (flags & LINE_NOTICE) classes += ' log-line--notice';
  if (flags & LINE_DEBUG) classes += ' log-line--debug';
  if (flags & LINE_COMMAND) classes += ' log-line--command';
  if (flags & LINE_STDERR) classes += ' log-line--stderr';
  if (flags & LINE_HEADER) classes += ' log-line--header';
  if (flags & LINE_SECTION_START) classes += ' log-line--section';
  return classes;
}

/** `10:42:13` in the viewer's time zone; the full timestamp is the title. */
function shortTime(timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp.slice(11, 19);
  return date.toLocaleTimeString([], { hour12: false });
}

function Span({ span }: { span: LineSpan }) {
  const { look, match } = span;
  const className = `${look.className}${match === 'none' ? '' : match === 'current' ? ' log-match log-match--current' : ' log-match'}`;
  if (className === '' && look.color === null && look.background === null) return span.text;
  const style =
    look.color === null && look.background === null
      ? undefined
      : {
          ...(look.color === null ? {} : { color: look.color }),
          ...(look.background === null ? {} : { backgroundColor: look.background }),
        };
  return (
    <span className={className.trim() || undefined} style={style}>
      {span.text}
    </span>
  );
}

function clipped(
  log: ParsedLog,
  line: number,
): { spans: ReturnType<typeof lineSegments>; cut: number } {
  const segments = lineSegments(log, line);
  const last = segments.at(-1);
  const length = last ? last.start + last.text.length : 0;
  if (length <= LINE_DISPLAY_LIMIT) return { spans: segments, cut: 0 };
  const kept = segments
    .filter((segment) => segment.start < LINE_DISPLAY_LIMIT)
    .map((segment) => ({
      ...segment,
      text: segment.text.slice(0, LINE_DISPLAY_LIMIT - segment.start),
    }));
  return { spans: kept, cut: length - LINE_DISPLAY_LIMIT };
}

/**
 * One row of the log: line number (a permalink), timestamp, and the text as styled text nodes —
 * never HTML, so a log that prints `<script>` shows `<script>`.
 */
export const LogLine = memo(function LogLine(props: LogLineProps) {
  const { log, line, section, collapsed } = props;
  const flags = lineFlags(log, line);
  const timestamp = props.showTimestamp ? lineTimestamp(log, line) : null;
  const { spans: segments, cut } = clipped(log, line);
  const spans = lineSpans(segments, props.matches, props.looks);
  const number = line + 1;
  const classes = `log-line${flagClasses(flags)}${props.selected ? ' is-selected' : ''}${props.firstError ? ' log-line--first-error' : ''}${props.isNew ? ' log-line--new' : ''}`;
  return (
    <div
      className={classes}
      data-testid="log-line"
      data-line-number={number}
      data-first-error={props.firstError ? 'true' : undefined}
    >
      <a
        className="log-line-number"
        href={props.href}
        onClick={(event) => props.onSelect(line, event)}
        aria-label={`Line ${number}`}
      >
        {number}
      </a>
      {props.showTimestamp ? (
        <span className="log-time" title={timestamp ?? undefined}>
          {timestamp === null ? '' : shortTime(timestamp)}
        </span>
      ) : null}
      <span className="log-text">
        {section ? (
          <button
            type="button"
            className="log-fold"
            aria-expanded={!collapsed}
            aria-label={`${collapsed ? 'Unfold' : 'Fold'} ${section.title}`}
            onClick={() => props.onToggle(section.id)}
          >
            {collapsed ? '▸' : '▾'}
          </button>
        ) : null}
        {spans.map((span, index) => (
          <Span key={index} span={span} />
        ))}
        {props.foldedLines > 0 ? (
          <span className="log-fold-count"> {props.foldedLines.toLocaleString()} lines</span>
        ) : null}
        {cut > 0 ? (
          <span className="log-cut">
            {' '}
            … {cut.toLocaleString()} more characters (download the log to see them)
          </span>
        ) : null}
      </span>
    </div>
  );
});
