import type { LogChunk } from '../../../shared/log/parse-log';
import { emptyMatches, searchChunk } from '../../../shared/log/search-log';

/**
 * Messages between the viewer and the regex search worker. One chunk of clean text (2,048
 * lines, a few hundred kilobytes) travels per request, so the worker never holds a copy of the
 * whole log: the renderer's memory stays what the parsed log takes.
 */

/** Search one chunk's text for a regular expression. */
export interface RegexSearchRequest {
  id: number;
  source: string;
  flags: string;
  text: string;
  textStarts: Uint32Array;
  lineCount: number;
  firstLine: number;
  /** Most matches wanted (what is left of the viewer's limit). */
  limit: number;
}

/** The chunk's matches, in line order. */
export type RegexSearchResponse =
  | {
      id: number;
      count: number;
      lines: Uint32Array;
      columns: Uint32Array;
      lengths: Uint32Array;
      truncated: boolean;
    }
  | { id: number; error: string };

/** The request that searches `chunk`. */
export function chunkRequest(
  id: number,
  chunk: LogChunk,
  pattern: RegExp,
  limit: number,
): RegexSearchRequest {
  return {
    id,
    source: pattern.source,
    flags: pattern.flags,
    text: chunk.text,
    textStarts: chunk.textStarts,
    lineCount: chunk.lineCount,
    firstLine: chunk.firstLine,
    limit,
  };
}

let compiled: RegExp | null = null;

/** Answers a request (in the worker, or on the main thread when there is no worker). */
export function answerRegexSearch(request: RegexSearchRequest): RegexSearchResponse {
  try {
    // Every chunk of one search has the same pattern: compile it once.
    if (compiled?.source !== request.source || compiled.flags !== request.flags) {
      compiled = new RegExp(request.source, request.flags);
    }
    const chunk: LogChunk = {
      firstLine: request.firstLine,
      raw: '',
      lineCount: request.lineCount,
      text: request.text,
      textStarts: request.textStarts,
      rawStarts: new Uint32Array(0),
      timestampLengths: new Uint8Array(0),
      flags: new Uint16Array(0),
      runStarts: new Uint32Array(0),
      runs: new Uint32Array(0),
    };
    const matches = emptyMatches(64);
    searchChunk(chunk, compiled, matches, request.limit);
    return {
      id: request.id,
      count: matches.count,
      lines: matches.lines.slice(0, matches.count),
      columns: matches.columns.slice(0, matches.count),
      lengths: matches.lengths.slice(0, matches.count),
      truncated: matches.truncated,
    };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
}
