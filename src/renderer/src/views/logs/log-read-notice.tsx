import type { ParsedLog } from '../../../../shared/log/parse-log';
import { errorWords } from '../../format/error-words';

/**
 * What the log body says instead of (or under) lines: still reading, empty, or why the rest of
 * the log could not be read — with the lines read so far left in place.
 */
export function LogReadNotice(props: {
  log: ParsedLog | null;
  error: unknown;
  onRetry?: (() => void) | undefined;
}) {
  const { log, error, onRetry } = props;
  if (error !== null) {
    return (
      <p className="log-empty notice notice--error" role="alert">
        The log could not be read to its end: {errorWords(error)}{' '}
        {onRetry ? (
          <button type="button" className="button button--small" onClick={onRetry}>
            Try again
          </button>
        ) : null}
      </p>
    );
  }
  if (log === null) return <p className="log-empty">Reading the log…</p>;
  if (log.done && log.lineCount === 0) return <p className="log-empty">This log is empty.</p>;
  return null;
}
