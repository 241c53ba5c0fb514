import type { Source } from '../../../../shared/model';
import { formatCountdown, parseTime } from '../../format/duration';
import { budgetWords } from '../../format/source-budget-words';
import { healthWord } from '../../format/status-words';
import { ErrorNotice } from '../common/error-notice';
import { useNow } from '../common/use-now';
import { useSources, useSourcesError } from '../../store/selectors';

/** "next poll in 12s" or "retrying in 2m" (while backing off). */
export function nextPollWords(source: Source, now: number): string | null {
  const { backoffUntil, nextPollAt } = source.health;
  const backoff = parseTime(backoffUntil);
  if (backoff !== null && backoff > now) return `retrying ${formatCountdown(backoffUntil, now)}`;
  const next = formatCountdown(nextPollAt, now);
  if (next === null) return null;
  return next === 'now' ? 'polling now' : `next poll ${next}`;
}

function SourceHealthItem({ source, now }: { source: Source; now: number }) {
  const next = nextPollWords(source, now);
  const state = source.enabled ? source.health.state : 'pending';
  return (
    <li
      className={`source-health health--${state}`}
      data-testid="source-health"
      data-state={source.health.state}
      data-source={source.name}
    >
      <span className="health-light" aria-hidden="true" />
      <span className="source-health-name">{source.name}</span>
      {source.isDemo ? <span className="demo-badge">Demo</span> : null}
      <span className="source-health-state">
        {source.enabled ? healthWord(source.health.state) : 'Disabled'}
      </span>
      {source.health.message ? (
        <span className="source-health-message" title={source.health.message}>
          {source.health.message}
        </span>
      ) : null}
      {next && source.enabled ? <span className="source-health-next">{next}</span> : null}
      {budgetWords(source, (iso) => new Date(iso).toLocaleTimeString()).map((words) => (
        <span key={words} className="source-health-budget" data-testid="source-budget">
          {words}
        </span>
      ))}
    </li>
  );
}

/** Every source's health in one strip: problems are shown, not hidden. */
export function SourceHealthStrip() {
  const sources = useSources();
  const error = useSourcesError();
  const now = useNow();
  return (
    <section className="source-strip" aria-label="Sources">
      <ErrorNotice title="Sources could not be read." message={error} />
      <ul className="source-list">
        {sources.map((source) => (
          <SourceHealthItem key={source.id} source={source} now={now} />
        ))}
      </ul>
    </section>
  );
}
