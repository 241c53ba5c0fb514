import {
  BOLD,
  DEFAULT_COLOR,
  DIM,
  HIDDEN,
  INVERSE,
  ITALIC,
  STRIKE,
  UNDERLINE,
  colorToCss,
  type TextStyle,
} from '../../../shared/log/ansi-style';
import type { ParsedLog } from '../../../shared/log/parse-log';
import { firstMatchAtOrAfter, type SearchMatches } from '../../../shared/log/search-log';
import type { StyledSegment } from '../../../shared/log/log-lines';

/**
 * How a styled piece of a log line is drawn: the 16 theme colours and the attributes are CSS
 * classes (so light and dark themes choose them), 256-palette and 24-bit colours are inline
 * colours. Never markup: the text always ends up in a React text node.
 */
export interface SpanLook {
  className: string;
  color: string | null;
  background: string | null;
}

const PLAIN_LOOK: SpanLook = { className: '', color: null, background: null };

function colorLook(color: number, kind: 'fg' | 'bg', classes: string[]): string | null {
  if (color === DEFAULT_COLOR) return null;
  const css = colorToCss(color);
  if (css === null) classes.push(`ansi-${kind}-${color}`);
  return css;
}

/** The look of one style of the log's style table. */
export function lookOf(style: TextStyle | undefined): SpanLook {
  if (
    !style ||
    (style.foreground === DEFAULT_COLOR &&
      style.background === DEFAULT_COLOR &&
      style.attributes === 0)
  ) {
    return PLAIN_LOOK;
  }
  const classes: string[] = [];
  const inverse = (style.attributes & INVERSE) !== 0;
  const foreground = inverse ? style.background : style.foreground;
  const background = inverse ? style.foreground : style.background;
  const color = colorLook(foreground, 'fg', classes);
  const backgroundColor = colorLook(background, 'bg', classes);
  // Inverse of the default colours: the log's background on its text colour.
  if (inverse && foreground === DEFAULT_COLOR) classes.push('ansi-fg-inverse');
  if (inverse && background === DEFAULT_COLOR) classes.push('ansi-bg-inverse');
  if (style.attributes & BOLD) classes.push('ansi-bold');
  if (style.attributes & DIM) classes.push('ansi-dim');
  if (style.attributes & ITALIC) classes.push('ansi-italic');
  if (style.attributes & UNDERLINE) classes.push('ansi-underline');
  if (style.attributes & STRIKE) classes.push('ansi-strike');
  if (style.attributes & HIDDEN) classes.push('ansi-hidden');
  return { className: classes.join(' '), color, background: backgroundColor };
}

/** A piece of a line to draw: its text, look, and whether it is (the current) search match. */
export interface LineSpan {
  text: string;
  look: SpanLook;
  match: 'none' | 'match' | 'current';
}

/** Search matches within one line: column, length and whether it is the current match. */
export interface LineMatch {
  column: number;
  length: number;
  current: boolean;
}

/**
 * Cuts a line's styled segments where search matches begin and end. `looks` maps a style id to
 * its look (memoised per log by the caller).
 */
export function lineSpans(
  segments: readonly StyledSegment[],
  matches: readonly LineMatch[],
  looks: (style: number) => SpanLook,
): LineSpan[] {
  if (matches.length === 0) {
    return segments.map((segment) => ({
      text: segment.text,
      look: looks(segment.style),
      match: 'none',
    }));
  }
  const spans: LineSpan[] = [];
  for (const segment of segments) {
    const look = looks(segment.style);
    const end = segment.start + segment.text.length;
    let column = segment.start;
    for (const match of matches) {
      const matchEnd = match.column + match.length;
      if (matchEnd <= column || match.column >= end) continue;
      if (match.column > column) {
        spans.push({
          text: segment.text.slice(column - segment.start, match.column - segment.start),
          look,
          match: 'none',
        });
        column = match.column;
      }
      const to = Math.min(end, matchEnd);
      spans.push({
        text: segment.text.slice(column - segment.start, to - segment.start),
        look,
        match: match.current ? 'current' : 'match',
      });
      column = to;
    }
    if (column < end)
      spans.push({ text: segment.text.slice(column - segment.start), look, match: 'none' });
  }
  return spans;
}

/** Style id → look, each computed once per log. */
export function looksOf(log: ParsedLog | null): (style: number) => SpanLook {
  const cache = new Map<number, SpanLook>();
  return (style) => {
    let look = cache.get(style);
    if (!look) {
      look = lookOf(log?.styles[style]);
      cache.set(style, look);
    }
    return look;
  };
}

const NO_MATCHES: LineMatch[] = [];

/** The matches on one line, in column order, the current one marked. */
export function matchesOnLine(
  matches: SearchMatches | null,
  line: number,
  currentMatch: number,
): LineMatch[] {
  if (!matches || matches.count === 0) return NO_MATCHES;
  const found: LineMatch[] = [];
  for (let index = firstMatchAtOrAfter(matches, line); index < matches.count; index += 1) {
    if (matches.lines[index] !== line) break;
    found.push({
      column: matches.columns[index] ?? 0,
      length: matches.lengths[index] ?? 0,
      current: index === currentMatch,
    });
  }
  return found;
}
