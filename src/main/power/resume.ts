import type { SourceHealth } from '../../shared/model';

/**
 * What happens to polling around a machine's sleep, as pure rules. While asleep nothing polls;
 * on waking every source polls at once (catching up), except one a server asked to wait
 * (`Retry-After`, a spent rate limit): that one still waits until the time the server gave.
 */

/** How long after waking a source should wait before polling again: 0 for at once. */
export function resumeDelayMs(health: SourceHealth | undefined, now: number): number {
  const until = health?.backoffUntil ? Date.parse(health.backoffUntil) : Number.NaN;
  return Number.isFinite(until) && until > now ? until - now : 0;
}

/**
 * The health to show when the poller reports a source as new again after waking: the last known
 * health (its errors, its last success) with the new next-poll time, rather than "pending".
 */
export function healthAfterWaking(
  previous: SourceHealth | undefined,
  reported: SourceHealth,
): SourceHealth {
  if (previous === undefined || reported.state !== 'pending' || reported.lastPollAt !== null) {
    return reported;
  }
  return { ...previous, nextPollAt: reported.nextPollAt };
}
