import type { KeyboardEvent, ReactNode, RefObject } from 'react';
import type { SearchQuery } from '../../../../shared/log/search-log';
import { TOO_LONG } from '../../logs/regex-search-client';
import type { LogSearchState } from '../../logs/use-log-search';

export interface LogToolbarProps {
  query: SearchQuery;
  onQuery(query: SearchQuery): void;
  search: LogSearchState;
  /** Index of the current match, -1 for none. */
  currentMatch: number;
  onStep(direction: 1 | -1): void;
  searchInput: RefObject<HTMLInputElement | null>;
  lineCount: number;
  /** 0-based, -1 when the log shows no error. */
  firstErrorLine: number;
  errorCount: number;
  onFirstError(): void;
  wrap: boolean;
  onWrap(wrap: boolean): void;
  hasTimestamps: boolean;
  showTimestamps: boolean;
  onTimestamps(show: boolean): void;
  hasSections: boolean;
  onFoldAll(collapsed: boolean): void;
  /** 0-based selected line, for "copy link". */
  selectedLine: number | null;
  onCopyLink(): void;
  copied: boolean;
  onDownload(): void;
  /** The whole log has been read (a log is downloaded whole or not at all). */
  downloadReady: boolean;
  webUrl: string | null;
  /** 0–1 while the log is still being parsed. */
  progress: number;
  /** The owner's controls, after the first-error button. */
  extra?: ReactNode;
}

function countWords(props: Pick<LogToolbarProps, 'search' | 'currentMatch'>): string {
  const { search, currentMatch } = props;
  if (search.error === TOO_LONG) return 'Too slow: simplify the pattern';
  if (search.error !== null) return 'Invalid expression';
  if (search.matches === null) return search.searching ? 'Searching…' : '';
  const count = search.matches.count;
  const total = `${count.toLocaleString()}${search.matches.truncated ? '+' : ''}`;
  if (count === 0) return search.searching ? 'Searching…' : 'No matches';
  const position = currentMatch >= 0 ? `${(currentMatch + 1).toLocaleString()} of ` : '';
  return `${position}${total}${search.searching ? '…' : ''}`;
}

/** Search over all lines, jumps, folding, wrapping and the ways out of the viewer. */
export function LogToolbar({ searchInput, ...props }: LogToolbarProps) {
  const { query, onQuery } = props;
  const hasMatches = (props.search.matches?.count ?? 0) > 0;

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      props.onStep(event.shiftKey ? -1 : 1);
    } else if (event.key === 'Escape' && query.text !== '') {
      event.preventDefault();
      onQuery({ ...query, text: '' });
    }
  }

  return (
    <div className="log-toolbar" role="toolbar" aria-label="Log tools">
      <div className="log-search-box">
        <input
          ref={searchInput}
          className="log-search"
          type="search"
          value={query.text}
          placeholder={`Search ${props.lineCount.toLocaleString()} lines`}
          aria-label="Search the log"
          aria-invalid={props.search.error !== null}
          title={props.search.error ?? undefined}
          spellCheck={false}
          onChange={(event) => onQuery({ ...query, text: event.target.value })}
          onKeyDown={onKeyDown}
          data-testid="log-search"
        />
        <button
          type="button"
          className="log-toggle"
          aria-pressed={query.caseSensitive}
          aria-label="Match case"
          title="Match case"
          onClick={() => onQuery({ ...query, caseSensitive: !query.caseSensitive })}
        >
          Aa
        </button>
        <button
          type="button"
          className="log-toggle log-toggle--mono"
          aria-pressed={query.regex}
          aria-label="Regular expression"
          title="Regular expression"
          onClick={() => onQuery({ ...query, regex: !query.regex })}
        >
          .*
        </button>
        <span
          className={`log-match-count${props.search.error ? ' log-match-count--error' : ''}`}
          data-testid="log-match-count"
          data-count={props.search.matches?.count ?? 0}
          data-searching={props.search.searching ? 'true' : 'false'}
          aria-live="polite"
        >
          {countWords(props)}
        </span>
        <button
          type="button"
          className="log-icon-button"
          aria-label="Previous match"
          title="Previous match (Shift+Enter)"
          disabled={!hasMatches}
          onClick={() => props.onStep(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="log-icon-button"
          aria-label="Next match"
          title="Next match (Enter)"
          disabled={!hasMatches}
          onClick={() => props.onStep(1)}
        >
          ↓
        </button>
      </div>
      {props.firstErrorLine >= 0 ? (
        <button
          type="button"
          className="button button--small log-first-error"
          onClick={props.onFirstError}
          data-testid="log-first-error"
          data-line-number={props.firstErrorLine + 1}
          title={`${props.errorCount.toLocaleString()} error line${props.errorCount === 1 ? '' : 's'}`}
        >
          First error · line {(props.firstErrorLine + 1).toLocaleString()}
        </button>
      ) : null}
      {props.extra}
      <span className="log-toolbar-spacer" />
      {props.progress < 1 ? (
        <span className="log-progress" role="status">
          Reading {Math.floor(props.progress * 100)}%
        </span>
      ) : null}
      {props.hasSections ? (
        <>
          <button type="button" className="log-text-button" onClick={() => props.onFoldAll(false)}>
            Unfold all
          </button>
          <button type="button" className="log-text-button" onClick={() => props.onFoldAll(true)}>
            Fold all
          </button>
        </>
      ) : null}
      {props.hasTimestamps ? (
        <button
          type="button"
          className="log-toggle"
          aria-pressed={props.showTimestamps}
          onClick={() => props.onTimestamps(!props.showTimestamps)}
        >
          Times
        </button>
      ) : null}
      <button
        type="button"
        className="log-toggle"
        aria-pressed={props.wrap}
        onClick={() => props.onWrap(!props.wrap)}
        data-testid="log-wrap"
      >
        Wrap
      </button>
      <button
        type="button"
        className="log-text-button"
        onClick={props.onCopyLink}
        disabled={props.selectedLine === null}
        title={
          props.selectedLine === null
            ? 'Click a line number first'
            : `Copy a link to line ${props.selectedLine + 1}`
        }
        data-testid="log-copy-link"
      >
        {props.copied ? 'Link copied' : 'Copy line link'}
      </button>
      <button
        type="button"
        className="log-text-button"
        onClick={props.onDownload}
        disabled={!props.downloadReady}
        title={props.downloadReady ? undefined : 'Available once the whole log has been read'}
        data-testid="log-download"
      >
        Download
      </button>
      {props.webUrl ? (
        <a
          className="log-text-button"
          href={props.webUrl}
          target="_blank"
          rel="noreferrer noopener"
          data-testid="log-web-link"
        >
          CI server ↗
        </a>
      ) : null}
    </div>
  );
}
