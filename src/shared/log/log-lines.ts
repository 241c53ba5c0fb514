import { CHUNK_SHIFT, type LogChunk, type ParsedLog } from './parse-log';

/** Reading one line of a parsed log: its text, timestamp, flags and styled segments. */

function chunkOf(log: ParsedLog, line: number): LogChunk | undefined {
  return log.chunks[line >>> CHUNK_SHIFT];
}

/** The line's text without escapes, markers or timestamp ('' past the end). */
export function lineText(log: ParsedLog, line: number): string {
  const chunk = chunkOf(log, line);
  if (!chunk) return '';
  const index = line - chunk.firstLine;
  const start = chunk.textStarts[index];
  const next = chunk.textStarts[index + 1];
  if (start === undefined || next === undefined) return '';
  return chunk.text.slice(start, next - 1);
}

/** The length of the line's text, without building it. */
export function lineLength(log: ParsedLog, line: number): number {
  const chunk = chunkOf(log, line);
  if (!chunk) return 0;
  const index = line - chunk.firstLine;
  return (chunk.textStarts[index + 1] ?? 1) - (chunk.textStarts[index] ?? 0) - 1;
}

/** The line's `LINE_*` flags. */
export function lineFlags(log: ParsedLog, line: number): number {
  const chunk = chunkOf(log, line);
  return chunk ? (chunk.flags[line - chunk.firstLine] ?? 0) : 0;
}

/** The line's timestamp as written in the log (e.g. `2024-01-01T00:00:00.0000000Z`), or null. */
export function lineTimestamp(log: ParsedLog, line: number): string | null {
  const chunk = chunkOf(log, line);
  if (!chunk) return null;
  const index = line - chunk.firstLine;
  const length = chunk.timestampLengths[index] ?? 0;
  if (length === 0) return null;
  const start = chunk.rawStarts[index] ?? 0;
  return chunk.raw.slice(start, start + length);
}

/** The log as fetched, in pieces that join into it (for downloading it without one big copy). */
export function rawPieces(log: ParsedLog): string[] {
  return log.chunks.map((chunk) => chunk.raw);
}

/** A piece of a line in one style (an index into `ParsedLog.styles`). */
export interface StyledSegment {
  text: string;
  style: number;
  /** Column of the segment's first character in the line. */
  start: number;
}

/** The line cut where its style changes; a plain line is one segment. */
export function lineSegments(log: ParsedLog, line: number): StyledSegment[] {
  const text = lineText(log, line);
  const chunk = chunkOf(log, line);
  if (!chunk) return [];
  const index = line - chunk.firstLine;
  const from = chunk.runStarts[index] ?? 0;
  const to = chunk.runStarts[index + 1] ?? from;
  const segments: StyledSegment[] = [];
  let column = 0;
  let style = 0;
  for (let pair = from; pair < to; pair += 1) {
    const runColumn = Math.min(text.length, chunk.runs[pair * 2] ?? 0);
    const runStyle = chunk.runs[pair * 2 + 1] ?? 0;
    if (runColumn > column)
      segments.push({ text: text.slice(column, runColumn), style, start: column });
    column = Math.max(column, runColumn);
    style = runStyle;
  }
  if (text.length > column || segments.length === 0) {
    segments.push({ text: text.slice(column), style, start: column });
  }
  return segments;
}

/** The whole clean text of the log, lines joined by `\n` (for copying and comparing). */
export function cleanText(log: ParsedLog): string {
  return log.chunks.map((chunk) => chunk.text).join('\n');
}
