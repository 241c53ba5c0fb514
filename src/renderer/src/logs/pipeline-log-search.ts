import type { LogSearchHit } from '../../../shared/log/log-api';
import { hrefFor } from '../routing/hash-route';

/**
 * Words and links for "search all stored logs of a pipeline": where a hit is, which parts of
 * its line to mark, and one sentence that answers the question that was asked.
 */

/** `oldest` answers "when did it first appear?"; `newest` "where did it happen lately?". */
export type LogSearchOrder = 'oldest' | 'newest';

/** How many logs one search lists (the contract allows up to 200). */
export const LOG_SEARCH_LIMIT = 100;

/** A piece of a line, marked when it is one of the searched words. */
export interface LinePart {
  text: string;
  marked: boolean;
}

/**
 * The words of a query as the log index reads them (letters, digits and `_`): the index
 * ignores punctuation, so `connect ECONNRESET 10.0.0.7` looks for five words.
 */
export function queryWords(query: string): string[] {
  return query.match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** The permalink of a hit: its log, at its first matching line. */
export function hitHref(pipelineId: number, hit: LogSearchHit): string {
  return hrefFor({
    view: 'log',
    pipelineId,
    buildId: hit.buildId,
    stageId: hit.stageId,
    stepId: hit.stepId,
    line: hit.lineNumber,
  });
}

/** Where a hit is: `performance-tests · Load test`, or `compile (whole stage)`. */
export function hitPlace(hit: Pick<LogSearchHit, 'stageName' | 'stepName'>): string {
  return hit.stepName === null
    ? `${hit.stageName} (whole stage)`
    : `${hit.stageName} · ${hit.stepName}`;
}

/** Splits a line into parts, marking every occurrence of a query word (ignoring case). */
export function markWords(line: string, query: string): LinePart[] {
  const words = [...new Set(queryWords(query).map((word) => word.toLowerCase()))];
  if (words.length === 0 || line.length === 0)
    return line.length === 0 ? [] : [{ text: line, marked: false }];
  const lower = line.toLowerCase();
  // Marked[i] is true when character i belongs to a searched word; overlapping words merge.
  const marked = new Uint8Array(line.length);
  for (const word of words) {
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + 1)) {
      marked.fill(1, at, at + word.length);
    }
  }
  const parts: LinePart[] = [];
  let start = 0;
  for (let index = 1; index <= line.length; index += 1) {
    if (index === line.length || marked[index] !== marked[start]) {
      parts.push({ text: line.slice(start, index), marked: marked[start] === 1 });
      start = index;
    }
  }
  return parts;
}

/** `“connect ECONNRESET”`, shortened when someone pasted a paragraph. */
function quoted(query: string): string {
  const trimmed = query.trim();
  return `“${trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed}”`;
}

/**
 * One sentence over the results: how many stored logs contain the words and, for the question
 * the order asks, in which build ("first in build #121" / "most recently in build #130").
 */
export function searchSummary(
  hits: ReadonlyArray<Pick<LogSearchHit, 'buildNumber'>>,
  query: string,
  order: LogSearchOrder,
  limit: number = LOG_SEARCH_LIMIT,
): string {
  const words = quoted(query);
  const first = hits[0];
  if (first === undefined) return `No stored log of this pipeline contains ${words}.`;
  const builds = new Set(hits.map((hit) => hit.buildNumber)).size;
  const where = order === 'oldest' ? 'first' : 'most recently';
  const logs =
    hits.length === 1 ? '1 stored log' : `${hits.length.toLocaleString('en-US')} stored logs`;
  const inBuilds = builds === 1 ? '' : ` of ${builds} builds`;
  const verb = hits.length === 1 ? 'contains' : 'contain';
  if (hits.length >= limit) {
    const which = order === 'oldest' ? 'oldest' : 'newest';
    return `The ${which} ${logs}${inBuilds} that contain ${words}, ${where} in build #${first.buildNumber}; there may be more.`;
  }
  return `${logs}${inBuilds} ${verb} ${words}, ${where} in build #${first.buildNumber}.`;
}
