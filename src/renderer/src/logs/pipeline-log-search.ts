import type { LogSearchHit, LogSearchResult } from '../../../shared/log/log-api';
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

/** `1 stored log`, `41 stored logs`. */
function storedLogs(count: number): string {
  return count === 1 ? '1 stored log' : `${count.toLocaleString('en-US')} stored logs`;
}

/** `1 log`, `3 logs`. */
function logs(count: number): string {
  return count === 1 ? '1 log' : `${count.toLocaleString('en-US')} logs`;
}

/** What the summary needs of a search result. */
export type SearchSummaryInput = Pick<LogSearchResult, 'logsMatched' | 'logsSearched'> & {
  hits: ReadonlyArray<Pick<LogSearchHit, 'buildNumber'>>;
};

/**
 * One sentence over the results: how many of the searched logs contain the words and, for the
 * question the order asks, in which build ("first in build #121" / "most recently in build
 * #130"). A search that found nothing says how many logs it looked at.
 */
export function searchSummary(
  result: SearchSummaryInput,
  query: string,
  order: LogSearchOrder,
): string {
  const { hits, logsMatched, logsSearched } = result;
  const words = quoted(query);
  const first = hits[0];
  if (first === undefined) {
    if (logsSearched === 0) return `No stored log of this pipeline could be searched for ${words}.`;
    if (logsSearched === 1) return `The 1 stored log of this pipeline does not contain ${words}.`;
    return `None of the ${storedLogs(logsSearched)} of this pipeline contains ${words}.`;
  }
  const where = order === 'oldest' ? 'first' : 'most recently';
  const builds = new Set(hits.map((hit) => hit.buildNumber)).size;
  const ofSearched = `${logsMatched.toLocaleString('en-US')} of ${storedLogs(logsSearched)}`;
  const verb = logsMatched === 1 ? 'contains' : 'contain';
  if (logsMatched > hits.length) {
    const which = order === 'oldest' ? 'oldest' : 'newest';
    return `${ofSearched} ${verb} ${words}; the ${which} ${hits.length.toLocaleString('en-US')} are listed, ${where} in build #${first.buildNumber}.`;
  }
  const inBuilds = builds === 1 ? '' : ` (in ${builds} builds)`;
  return `${ofSearched} ${verb} ${words}${inBuilds}, ${where} in build #${first.buildNumber}.`;
}

/** What the coverage notes need of a search result. */
export type CoverageInput = Omit<LogSearchResult, 'hits' | 'logsMatched'>;

/**
 * What the search did not look at, so that "no results" can be trusted: logs still running or
 * not indexed yet, builds without any stored log, and the words actually looked for when the
 * query had punctuation the index ignores.
 */
export function coverageNotes(result: CoverageInput, query: string): string[] {
  const notes: string[] = [];
  const { searchedBuilds } = result;
  if (searchedBuilds !== null) {
    const range =
      searchedBuilds.oldest === searchedBuilds.newest
        ? `build #${searchedBuilds.oldest}`
        : `builds #${searchedBuilds.oldest}–#${searchedBuilds.newest}`;
    notes.push(`Searched ${storedLogs(result.logsSearched)} from ${range}.`);
  }
  if (result.words.join(' ') !== query.trim() && result.words.length > 0) {
    notes.push(`Looked for the words ${result.words.map((word) => `“${word}”`).join(', ')}.`);
  }
  if (result.logsWaiting > 0) {
    const are = result.logsWaiting === 1 ? 'is' : 'are';
    notes.push(
      `${logs(result.logsWaiting)} ${are} still being indexed and not searched yet: search again in a moment.`,
    );
  }
  if (result.logsRunning > 0) {
    const belong = result.logsRunning === 1 ? 'belongs' : 'belong';
    notes.push(
      `${logs(result.logsRunning)} ${belong} to steps still running: searched once they finish.`,
    );
  }
  if (result.buildsWithoutLogs > 0) {
    const have = result.buildsWithoutLogs === 1 ? 'has' : 'have';
    const ofKept =
      result.buildsWithoutLogs === result.buildsKept
        ? result.buildsKept === 1
          ? 'The only build'
          : `All ${result.buildsKept.toLocaleString('en-US')} builds`
        : `${result.buildsWithoutLogs.toLocaleString('en-US')} of the ${result.buildsKept.toLocaleString('en-US')} builds`;
    notes.push(
      `${ofKept} in the history ${have} no stored log (never opened, or removed by the log budget), so ${result.buildsWithoutLogs === 1 ? 'it was' : 'they were'} not searched.`,
    );
  }
  return notes;
}
