import { useEffect, useMemo, useRef, useState } from 'react';
import type { ParsedLog } from '../../../shared/log/parse-log';
import {
  compileSearch,
  emptyMatches,
  MATCH_LIMIT,
  searchChunk,
  type SearchMatches,
  type SearchQuery,
} from '../../../shared/log/search-log';
import {
  SearchTooLongError,
  sharedRegexSearchClient,
  type RegexSearchClient,
} from './regex-search-client';
import { SLICE_MS, nextTask, now } from './time-slices';

export interface LogSearchState {
  /** Matches found so far; null without a query (or before the search starts). */
  matches: SearchMatches | null;
  /** The search has not reached the last line yet. */
  searching: boolean;
  /** The regular expression does not compile. */
  error: string | null;
  /** Changes whenever `matches` grew, so that views re-render. */
  version: number;
  /** Identifies the query the matches are for. */
  key: string;
}

/** How long typing must pause before a search starts. */
export const SEARCH_DEBOUNCE_MS = 150;

/** The identity of a query: its text and options. */
export function queryKey(query: SearchQuery): string {
  return `${query.regex ? 'r' : 't'}${query.caseSensitive ? 'c' : 'i'}:${query.text}`;
}

interface SearchJob {
  log: ParsedLog;
  key: string;
  pattern: RegExp;
  matches: SearchMatches;
  nextChunk: number;
  running: boolean;
  cancelled: boolean;
  /** Why the search stopped before the end (a pattern that ran too long). */
  error: string | null;
  /**
   * Where regular expressions run: a worker that can be stopped, so that a catastrophic pattern
   * cannot freeze the window. Null for plain text, which is escaped (it cannot backtrack) and
   * stays on this thread.
   */
  client: RegexSearchClient | null;
}

/** Stops a job; a regex still running in the worker for it is stopped too. */
function cancel(job: SearchJob): void {
  job.cancelled = true;
  if (job.running && job.client) job.client.cancel();
}

/**
 * Searches every line of the log, chunk by chunk in time slices, so the count grows while the
 * person keeps typing. A new query or a new log starts over; more parsed lines of the same log
 * (`parseVersion`) are searched where the last pass stopped. `onProgress` hears every step,
 * outside React's render (e.g. to go to the first match).
 */
export function useLogSearch(
  log: ParsedLog | null,
  parseVersion: number,
  query: SearchQuery,
  onProgress?: (state: LogSearchState) => void,
): LogSearchState {
  const key = queryKey(query);
  const compiled = useMemo(
    () =>
      compileSearch({ text: query.text, regex: query.regex, caseSensitive: query.caseSensitive }),
    [query.text, query.regex, query.caseSensitive],
  );
  const [found, setFound] = useState<LogSearchState | null>(null);
  const job = useRef<SearchJob | null>(null);
  const listener = useRef(onProgress);
  useEffect(() => {
    listener.current = onProgress;
  });

  useEffect(() => {
    const current = job.current;
    if (log === null || compiled === null || 'error' in compiled) {
      if (current) cancel(current);
      job.current = null;
      return;
    }
    // Same query on the same log: only continue over chunks parsed since.
    if (current && current.log === log && current.key === key) {
      if (!current.running && current.error === null && current.nextChunk < log.chunks.length) {
        void pump(current);
      }
      return;
    }
    if (current) cancel(current);
    job.current = null;
    const next: SearchJob = {
      log,
      key,
      pattern: compiled.pattern,
      matches: emptyMatches(),
      nextChunk: 0,
      running: false,
      cancelled: false,
      error: null,
      client: query.regex ? sharedRegexSearchClient() : null,
    };
    const timer = setTimeout(() => {
      job.current = next;
      void pump(next);
    }, SEARCH_DEBOUNCE_MS);
    // Only the debounce is undone here: a running search goes on when more lines are parsed,
    // and is cancelled above when the query or the log changes (or below on unmount).
    return () => clearTimeout(timer);

    async function pump(work: SearchJob): Promise<void> {
      work.running = true;
      const { client } = work;
      while (!work.cancelled && work.error === null && work.nextChunk < work.log.chunks.length) {
        const started = now();
        while (work.nextChunk < work.log.chunks.length && now() - started < SLICE_MS) {
          const chunk = work.log.chunks[work.nextChunk];
          if (chunk && client) {
            try {
              await client.searchChunk(chunk, work.pattern, work.matches, MATCH_LIMIT);
            } catch (error) {
              if (work.cancelled) break;
              work.error =
                error instanceof SearchTooLongError
                  ? error.message
                  : error instanceof Error
                    ? error.message
                    : 'The search failed.';
              break;
            }
            if (work.cancelled) break;
          } else if (chunk) {
            searchChunk(chunk, work.pattern, work.matches);
          }
          work.nextChunk += 1;
        }
        if (work.cancelled) break;
        const state: LogSearchState = {
          matches: work.matches,
          searching:
            work.error === null && (work.nextChunk < work.log.chunks.length || !work.log.done),
          error: work.error,
          version: work.nextChunk,
          key: work.key,
        };
        setFound(state);
        listener.current?.(state);
        if (work.error === null && work.nextChunk < work.log.chunks.length) await nextTask();
      }
      work.running = false;
    }
  }, [log, key, compiled, parseVersion, query.regex]);

  useEffect(
    () => () => {
      if (job.current) cancel(job.current);
    },
    [],
  );

  if (compiled === null) return { matches: null, searching: false, error: null, version: 0, key };
  if ('error' in compiled) {
    return { matches: null, searching: false, error: compiled.error, version: 0, key };
  }
  if (found === null || found.key !== key || log === null) {
    return { matches: null, searching: true, error: null, version: 0, key };
  }
  return found;
}
