/** What is left of the token's hourly budget, for the UI. */
export interface RateLimitBudget {
  remaining: number;
  limit: number;
  /** When GitHub refills the budget (ISO-8601). */
  resetAt: string;
}

/** GitHub's advice when a secondary limit answers without Retry-After: wait at least a minute. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;

function headerNumber(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  // Digits beyond 2^53 are not a count or a time GitHub means; reading them would round.
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : null;
}

/** Latest epoch second a `Date` can hold (year 275760): later resets are no instant at all. */
const LAST_DATE_SECOND = 8.64e12;

/** The `x-ratelimit-*` headers of an answer, or null when it has none (a signed log URL). */
export function readRateLimit(headers: Headers): RateLimitBudget | null {
  const remaining = headerNumber(headers, 'x-ratelimit-remaining');
  const limit = headerNumber(headers, 'x-ratelimit-limit');
  const reset = headerNumber(headers, 'x-ratelimit-reset');
  if (remaining === null || limit === null || reset === null) return null;
  // A reset no Date can hold would throw in toISOString (and fail every request as unreachable).
  if (reset > LAST_DATE_SECOND) return null;
  return { remaining, limit, resetAt: new Date(reset * 1000).toISOString() };
}

/**
 * When to come back after an error answer (epoch ms), or null when it is no rate limit:
 * the primary limit says `x-ratelimit-remaining: 0` and when it resets; a secondary limit says
 * so only in the body of a 403 or 429 (Retry-After, when sent, is read before this).
 */
export function githubRateLimitReset(
  response: Response,
  now: number,
  bodySnippet = '',
): number | null {
  const remaining = headerNumber(response.headers, 'x-ratelimit-remaining');
  const reset = headerNumber(response.headers, 'x-ratelimit-reset');
  if (remaining === 0 && reset !== null) return Math.max(now + 1000, reset * 1000);
  if (response.status === 429) return now + SECONDARY_LIMIT_WAIT_MS;
  if (response.status === 403 && /secondary rate limit|abuse detection/i.test(bodySnippet)) {
    return now + SECONDARY_LIMIT_WAIT_MS;
  }
  return null;
}
