import type { TextStyle } from './ansi-style';
import type { LogSection } from './sections';

/**
 * A CI log parsed once into compact structures: per line its text without escapes, its
 * timestamp, flags (error, warning, section header, …) and style runs; the log's sections; and
 * its first error. Lines live in chunks of `CHUNK_LINES`: each chunk holds the clean text of its
 * lines as ONE string plus typed arrays, so a million lines cost a few strings, not millions of
 * objects, and search runs one regex over each chunk.
 */

export const CHUNK_SHIFT = 11;
/** Lines per chunk (a power of two, so a line's chunk is a shift away). */
export const CHUNK_LINES = 1 << CHUNK_SHIFT;

/** Line flags (bits of `LogChunk.flags`). */
export const LINE_ERROR = 1;
export const LINE_TRACE = 2;
export const LINE_WARNING = 4;
export const LINE_NOTICE = 8;
export const LINE_DEBUG = 16;
export const LINE_COMMAND = 32;
export const LINE_STDERR = 64;
export const LINE_HEADER = 128;
/** The line opens a section; its text is the section's title. */
export const LINE_SECTION_START = 256;
/** The line only closes a section (`##[endgroup]`, a bare `section_end`): it is not shown. */
export const LINE_SECTION_END = 512;

export interface LogChunk {
  readonly firstLine: number;
  /**
   * The chunk's lines as fetched (timestamps, escapes, markers and line ends included): joined in
   * order, the chunks' `raw` are the whole log. For timestamps and for downloading the raw log.
   */
  readonly raw: string;
  readonly lineCount: number;
  /** The clean text of the chunk's lines joined by `\n`. */
  readonly text: string;
  /** `lineCount + 1` offsets into `text`: line j is `text.slice(textStarts[j], textStarts[j+1] - 1)`. */
  readonly textStarts: Uint32Array;
  /** Where each line starts in the chunk's `raw` (its timestamp, if any, starts there). */
  readonly rawStarts: Uint32Array;
  /** Length of each line's timestamp in the raw log; 0 when it has none. */
  readonly timestampLengths: Uint8Array;
  readonly flags: Uint16Array;
  /** `lineCount + 1` offsets into `runs`, counted in pairs. */
  readonly runStarts: Uint32Array;
  /** Flat (column, style id) pairs: from that column on, the line has that style. */
  readonly runs: Uint32Array;
}

export interface ParsedLog {
  /** Recognised from the first lines (`auto`), or as asked. */
  format: 'plain' | 'buildbot';
  readonly chunks: LogChunk[];
  lineCount: number;
  readonly sections: LogSection[];
  /** Section id by the line that opens it. */
  readonly sectionByHeader: Map<number, number>;
  readonly styles: TextStyle[];
  /** Lines flagged `LINE_ERROR`, in order (at most the first 100,000). */
  readonly errorLines: number[];
  /** The first error line, else the first stack-trace line, else -1. */
  firstErrorLine: number;
  firstTraceLine: number;
  hasTimestamps: boolean;
  /** Every line has been parsed. */
  done: boolean;
}
