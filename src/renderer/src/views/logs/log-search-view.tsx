import '../../styles/logs-across-builds.css';
import { useEffect, useState, type FormEvent } from 'react';
import type { LogSearchHit, LogSearchResult } from '../../../../shared/log/log-api';
import { errorWords } from '../../format/error-words';
import {
  coverageNotes,
  hitHref,
  hitPlace,
  LOG_SEARCH_LIMIT,
  markWords,
  queryWords,
  searchSummary,
  type LogSearchOrder,
} from '../../logs/pipeline-log-search';
import { hrefFor } from '../../routing/hash-route';
import { ErrorNotice } from '../common/error-notice';
import { useServices } from '../common/services';
import { PipelineHeader } from '../pipeline/pipeline-header';

type SearchState =
  | { phase: 'idle' }
  | { phase: 'searching'; result: LogSearchResult | null }
  | { phase: 'done'; result: LogSearchResult }
  | { phase: 'failed'; error: string };

/**
 * Runs the search the route asks for; `attempt` runs the same search again (logs are stored and
 * indexed in the background, so the same words may find more a moment later).
 */
function usePipelineLogSearch(
  pipelineId: number,
  query: string,
  order: LogSearchOrder,
  attempt: number,
): SearchState {
  const { api } = useServices();
  const which = `${pipelineId}\n${order}\n${query}`;
  const key = `${which}\n${attempt}`;
  const hasWords = queryWords(query).length > 0;
  const [result, setResult] = useState<{
    key: string;
    which: string;
    found: LogSearchResult | null;
    error: string | null;
  } | null>(null);

  useEffect(() => {
    if (!hasWords) return;
    let stopped = false;
    api['logs/search']({ pipelineId, query, order, limit: LOG_SEARCH_LIMIT }).then(
      (found) => {
        if (!stopped) setResult({ key, which, found, error: null });
      },
      (error: unknown) => {
        if (!stopped) setResult({ key, which, found: null, error: errorWords(error) });
      },
    );
    return () => {
      stopped = true;
    };
  }, [api, pipelineId, query, order, key, which, hasWords]);

  if (!hasWords) return { phase: 'idle' };
  if (result?.key === key) {
    return result.found === null
      ? { phase: 'failed', error: result.error ?? 'The search failed.' }
      : { phase: 'done', result: result.found };
  }
  // Results of the same search stay on screen while it runs again.
  return { phase: 'searching', result: result?.which === which ? result.found : null };
}

/** Goes to a hash (so back and forward walk searches); false when it is the current one. */
function openHash(href: string): boolean {
  if (href === window.location.hash) return false;
  window.location.hash = href;
  return true;
}

/** One stored log that contains the words: where, and its first matching line, as text. */
function SearchHit({
  pipelineId,
  hit,
  query,
}: {
  pipelineId: number;
  hit: LogSearchHit;
  query: string;
}) {
  return (
    <li data-testid="log-search-hit" data-build-number={hit.buildNumber}>
      <a className="log-search-hit" href={hitHref(pipelineId, hit)}>
        <span className="log-search-hit-build">#{hit.buildNumber}</span>
        <span className="log-search-hit-place">{hitPlace(hit)}</span>
        <span className="log-search-hit-line-number">
          line {hit.lineNumber.toLocaleString('en-US')}
        </span>
        <code className="log-search-hit-text">
          {markWords(hit.line, query).map((part, index) =>
            part.marked ? <mark key={index}>{part.text}</mark> : part.text,
          )}
        </code>
      </a>
    </li>
  );
}

/**
 * `#/pipelines/:id/logs?q=…`: every stored log of a pipeline that contains some words, one hit
 * per log at its first matching line, oldest build first ("when did `ECONNRESET` first
 * appear?") or newest first.
 */
export function LogSearchView({
  pipelineId,
  query,
  order,
}: {
  pipelineId: number;
  query: string;
  order: LogSearchOrder;
}) {
  const [draft, setDraft] = useState({ query, text: query });
  // Back and forward change the route's words: show those in the box.
  if (draft.query !== query) setDraft({ query, text: query });
  const [attempt, setAttempt] = useState(0);
  const search = usePipelineLogSearch(pipelineId, query, order, attempt);

  const go = (text: string, nextOrder: LogSearchOrder): void => {
    const href = hrefFor({ view: 'log-search', pipelineId, query: text.trim(), order: nextOrder });
    if (!openHash(href)) setAttempt((value) => value + 1);
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    go(draft.text, order);
  };

  const found = search.phase === 'done' || search.phase === 'searching' ? search.result : null;
  const notes = found === null ? [] : coverageNotes(found, query);

  return (
    <>
      <PipelineHeader pipelineId={pipelineId} current="logs" />
      <main className="log-search-page" data-testid="log-search-panel">
        <form className="log-search-form" role="search" onSubmit={onSubmit}>
          <input
            className="log-search-query"
            type="search"
            value={draft.text}
            maxLength={200}
            placeholder="Words in a log, e.g. ECONNRESET"
            aria-label="Search the stored logs of this pipeline"
            spellCheck={false}
            autoFocus={query === ''}
            onChange={(event) => setDraft({ query, text: event.target.value })}
            data-testid="log-search-query"
          />
          <button type="submit" className="button">
            Search
          </button>
          <div className="log-search-order" role="group" aria-label="Order of the results">
            {(['oldest', 'newest'] as const).map((choice) => (
              <button
                key={choice}
                type="button"
                className="log-toggle"
                aria-pressed={order === choice}
                onClick={() => go(draft.text, choice)}
                data-testid={`log-search-order-${choice}`}
              >
                {choice === 'oldest' ? 'Oldest first' : 'Newest first'}
              </button>
            ))}
          </div>
        </form>
        <p className="log-search-scope">
          Searches only the logs Pipewatch has stored: the log of a failed stage is fetched as soon
          as it fails, any other log once someone opens it. The words must appear close together in
          a log; case and punctuation are ignored.
        </p>
        {search.phase === 'failed' ? (
          <ErrorNotice title="The logs could not be searched." message={search.error} />
        ) : null}
        {search.phase === 'idle' ? (
          <p className="empty">
            {query === ''
              ? 'Type a word from an error to see in which builds it appeared.'
              : 'Type a word (letters or digits) to search for.'}
          </p>
        ) : null}
        {found === null && search.phase === 'searching' ? (
          <p className="empty">Searching…</p>
        ) : null}
        {found !== null ? (
          <section className="log-search-results" aria-label="Logs that contain the words">
            <p className="log-search-summary" role="status" data-testid="log-search-summary">
              {searchSummary(found, query, order)}
              {search.phase === 'searching' ? ' Searching again…' : null}
            </p>
            {notes.length > 0 ? (
              <ul className="log-search-coverage" data-testid="log-search-coverage">
                {notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            ) : null}
            {found.hits.length > 0 ? (
              <ol className="log-search-hits">
                {found.hits.map((hit) => (
                  <SearchHit
                    key={`${hit.stageId}/${hit.stepId ?? 'stage'}`}
                    pipelineId={pipelineId}
                    hit={hit}
                    query={query}
                  />
                ))}
              </ol>
            ) : null}
          </section>
        ) : null}
      </main>
    </>
  );
}
