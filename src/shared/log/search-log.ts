import { CHUNK_SHIFT, type LogChunk, type ParsedLog } from './parse-log';

/**
 * Search over every line of a parsed log, one chunk at a time so a caller can yield between
 * chunks and keep typing responsive. Each chunk is one string, so a chunk costs one regex scan.
 */

export interface SearchQuery {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
}

/** A compiled query, or why it cannot be compiled (an invalid regular expression). */
export type CompiledSearch = { pattern: RegExp } | { error: string };

/** Compiles a query; an empty query compiles to an error-free "nothing to find" (null). */
export function compileSearch(query: SearchQuery): CompiledSearch | null {
  if (query.text.length === 0) return null;
  const flags = `gm${query.caseSensitive ? '' : 'i'}`;
  const source = query.regex ? query.text : escapeRegExp(query.text);
  try {
    return { pattern: new RegExp(source, flags) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'Invalid regular expression' };
  }
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Matches in line order, as three parallel growable arrays (a million matches stay cheap). */
export interface SearchMatches {
  count: number;
  lines: Uint32Array;
  /** Column of the match in its line. */
  columns: Uint32Array;
  lengths: Uint32Array;
  /** More matches existed than `limit`; `count` stops at the limit. */
  truncated: boolean;
}

export function emptyMatches(capacity = 1024): SearchMatches {
  return {
    count: 0,
    lines: new Uint32Array(capacity),
    columns: new Uint32Array(capacity),
    lengths: new Uint32Array(capacity),
    truncated: false,
  };
}

function grow(matches: SearchMatches): void {
  const capacity = matches.lines.length * 2;
  const copy = (from: Uint32Array): Uint32Array => {
    const next = new Uint32Array(capacity);
    next.set(from);
    return next;
  };
  matches.lines = copy(matches.lines);
  matches.columns = copy(matches.columns);
  matches.lengths = copy(matches.lengths);
}

/** Most matches kept; counting past it would only cost memory nobody looks at. */
export const MATCH_LIMIT = 5_000_000;

/**
 * Appends the matches of `pattern` in one chunk. A match that runs over a line end is cut at
 * it; empty matches (`^`, `x*`) are skipped, since there is nothing to highlight.
 */
export function searchChunk(
  chunk: LogChunk,
  pattern: RegExp,
  matches: SearchMatches,
  limit = MATCH_LIMIT,
): void {
  const { text, textStarts, lineCount, firstLine } = chunk;
  pattern.lastIndex = 0;
  let line = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const start = match.index;
    const length = match[0].length;
    if (length === 0) {
      pattern.lastIndex = start + 1;
      if (pattern.lastIndex > text.length) break;
      continue;
    }
    while (line + 1 < lineCount && (textStarts[line + 1] ?? 0) <= start) line += 1;
    const lineStart = textStarts[line] ?? 0;
    const lineEnd = (textStarts[line + 1] ?? text.length + 1) - 1;
    if (start >= lineEnd) continue; // a match that starts at the newline shows nothing
    if (matches.count >= limit) {
      matches.truncated = true;
      break;
    }
    if (matches.count === matches.lines.length) grow(matches);
    matches.lines[matches.count] = firstLine + line;
    matches.columns[matches.count] = start - lineStart;
    matches.lengths[matches.count] = Math.max(1, Math.min(length, lineEnd - start));
    matches.count += 1;
  }
  pattern.lastIndex = 0;
}

/** Searches the whole log at once (tests, benchmarks, the core). */
export function searchLog(log: ParsedLog, query: SearchQuery): SearchMatches | { error: string } {
  const compiled = compileSearch(query);
  const matches = emptyMatches();
  if (compiled === null) return matches;
  if ('error' in compiled) return compiled;
  for (const chunk of log.chunks) searchChunk(chunk, compiled.pattern, matches);
  return matches;
}

/** The index of the first match on or after `line` (count when none). */
export function firstMatchAtOrAfter(matches: SearchMatches, line: number): number {
  let low = 0;
  let high = matches.count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((matches.lines[middle] ?? 0) < line) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The chunk holding a line (for callers that walk chunks themselves). */
export function chunkIndexOf(line: number): number {
  return line >>> CHUNK_SHIFT;
}
