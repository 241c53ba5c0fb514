import type { RateLimitBudget } from '../../../shared/model';

/**
 * When GitLab's throttle says to come back (epoch ms), or null when this answer does not say the
 * budget is spent. GitLab sends `RateLimit-Remaining` and `RateLimit-Reset` (Unix seconds) on
 * throttled routes, and on a 429 also `RateLimit-ResetTime` (an HTTP date) and `Retry-After`
 * (which the HTTP layer honours first).
 */
export function gitlabRateLimitReset(response: Response, now: number): number | null {
  const remaining = response.headers.get('ratelimit-remaining');
  const spent =
    response.status === 429 ||
    (remaining !== null && remaining.trim() !== '' && Number(remaining.trim()) <= 0);
  if (!spent) return null;
  const reset = response.headers.get('ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(now, Number(reset) * 1000);
  const resetTime = Date.parse(response.headers.get('ratelimit-resettime') ?? '');
  if (!Number.isNaN(resetTime)) return Math.max(now, resetTime);
  return null;
}

/** Latest epoch second a `Date` can hold (year 275760). */
const LAST_DATE_SECOND = 8.64e12;

/**
 * The budget an answer reports (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`),
 * or null when it does not say: GitLab sends them on throttled routes only, and an instance may
 * have throttling off.
 */
export function readGitlabBudget(headers: Headers): RateLimitBudget | null {
  const limit = wholeNumber(headers.get('ratelimit-limit'));
  const remaining = wholeNumber(headers.get('ratelimit-remaining'));
  const reset = wholeNumber(headers.get('ratelimit-reset'));
  if (limit === null || remaining === null || reset === null) return null;
  // A reset no Date can hold would throw in toISOString (and fail every request as unreachable).
  if (reset > LAST_DATE_SECOND) return null;
  return { limit, remaining, resetAt: new Date(reset * 1000).toISOString() };
}

function wholeNumber(value: string | null): number | null {
  const trimmed = value?.trim() ?? '';
  if (!/^\d+$/.test(trimmed)) return null;
  // Digits beyond 2^53 are not a count or a time the server means; reading them would round.
  const number = Number(trimmed);
  return Number.isSafeInteger(number) ? number : null;
}
