import type { LogSearchHit, LogSearchResult } from '../../shared/log/log-api';
import { lineText } from '../../shared/log/log-lines';
import { parseLog } from '../../shared/log/parse-log';
import type { IndexHit, LogKey, StoredLog, StoredLogState } from '../store/log-repository';
import { summarizeCoverage } from './log-coverage';

/** What a search across a pipeline's logs reads from the store. */
export interface LogSearchStore {
  searchLogIndex(
    pipelineId: number,
    ftsQuery: string,
    order: 'oldest' | 'newest',
    limit: number,
  ): IndexHit[];
  readLog(key: LogKey): StoredLog | null;
  countLogIndexMatches(pipelineId: number, ftsQuery: string): number;
  storedLogStates(pipelineId: number): StoredLogState[];
  countPipelineBuilds(pipelineId: number): number;
}

export interface PipelineLogSearch {
  pipelineId: number;
  /** Words as a person types them, e.g. `ECONNRESET` or `connect ECONNRESET`. */
  query: string;
  /** `oldest` answers "when did this first appear?"; `newest` "where did it happen lately?". */
  order: 'oldest' | 'newest';
  limit: number;
}

const LINE_SHOWN = 500;

/** The words of a query as the index tokenizes them (letters, digits and `_`). */
export function queryWords(query: string): string[] {
  return query.match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/**
 * A query as an FTS5 phrase: the words, quoted so that nothing the user types is read as FTS5
 * syntax (`AND`, `*`, `:`, quotes). Null when there is no word to look for.
 */
export function toFtsQuery(query: string): string | null {
  const words = queryWords(query);
  if (words.length === 0) return null;
  return words.map((word) => `"${word}"`).join(' ');
}

/**
 * Every stored, indexed log of a pipeline that contains all the words, one hit per log with its
 * first matching line, ordered by build; with how many logs matched in all and what the search
 * covered (logs searched, logs left out and why, builds without a stored log).
 */
export function searchPipelineLogs(
  store: LogSearchStore,
  search: PipelineLogSearch,
): LogSearchResult {
  const words = queryWords(search.query);
  const coverage = summarizeCoverage(
    store.storedLogStates(search.pipelineId),
    store.countPipelineBuilds(search.pipelineId),
  );
  const fts = toFtsQuery(search.query);
  if (fts === null) return { words, hits: [], logsMatched: 0, ...coverage };
  const lowerWords = words.map((word) => word.toLowerCase());
  const hits = store
    .searchLogIndex(search.pipelineId, fts, search.order, search.limit)
    .map((hit) => locate(store, hit, lowerWords));
  const logsMatched =
    hits.length < search.limit ? hits.length : store.countLogIndexMatches(search.pipelineId, fts);
  return { words, hits, logsMatched, ...coverage };
}

/** Finds the matching line inside the indexed row (the index knows rows, not lines). */
function locate(store: LogSearchStore, hit: IndexHit, words: readonly string[]): LogSearchHit {
  let lineNumber = hit.firstLine + 1;
  let line = '';
  const text = store.readLog({ stageId: hit.stageId, stepId: hit.stepId })?.text ?? '';
  const rows = parseLog(linesOf(text, hit.firstLine, hit.lineCount));
  for (let index = 0; index < rows.lineCount; index += 1) {
    const candidate = lineText(rows, index);
    const lower = candidate.toLowerCase();
    if (words.every((word) => lower.includes(word))) {
      lineNumber = hit.firstLine + index + 1;
      line = candidate;
      break;
    }
  }
  return {
    buildId: hit.buildId,
    buildNumber: hit.buildNumber,
    stageId: hit.stageId,
    stageName: hit.stageName,
    stepId: hit.stepId,
    stepName: hit.stepName,
    lineNumber,
    line: line.length > LINE_SHOWN ? `${line.slice(0, LINE_SHOWN)}…` : line,
    fetchedAt: hit.fetchedAt,
  };
}

/** Lines `first` to `first + count - 1` (0-based) of a text. */
export function linesOf(text: string, first: number, count: number): string {
  let start = 0;
  for (let line = 0; line < first && start !== -1; line += 1) {
    const newline = text.indexOf('\n', start);
    start = newline === -1 ? -1 : newline + 1;
  }
  if (start === -1) return '';
  let end = start;
  for (let line = 0; line < count; line += 1) {
    const newline = text.indexOf('\n', end);
    if (newline === -1) return text.slice(start);
    end = newline + 1;
  }
  return text.slice(start, end - 1);
}
