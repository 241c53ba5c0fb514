import type { RateLimitBudget } from '../../../shared/model';

/**
 * Buildkite's REST limit (buildkite/docs `rate_limits.md`): 200 requests a minute per
 * organization, shared by every user and integration of the organization, and a per-user limit.
 * `RateLimit-Reset` is the number of SECONDS until the window resets, not a timestamp.
 */

const ONE_MINUTE_MS = 60_000;

function headerNumber(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

/** The organization's budget as an answer reports it, or null when the headers are missing. */
export function readOrgBudget(headers: Headers, now: number): RateLimitBudget | null {
  const remaining = headerNumber(headers, 'ratelimit-remaining');
  const limit = headerNumber(headers, 'ratelimit-limit');
  const reset = headerNumber(headers, 'ratelimit-reset');
  if (remaining === null || limit === null || reset === null) return null;
  return { remaining, limit, resetAt: new Date(now + reset * 1000).toISOString() };
}

/**
 * When to come back after an error answer (epoch ms), or null when it is no rate limit: a 429,
 * or any answer that says a budget is spent, waits for the later of the organization's and the
 * user's reset. Never a plain 403 (a missing scope is not a rate limit).
 */
export function buildkiteRateLimitReset(response: Response, now: number): number | null {
  const { headers } = response;
  const spent =
    response.status === 429 ||
    headerNumber(headers, 'ratelimit-remaining') === 0 ||
    headerNumber(headers, 'ratelimit-user-remaining') === 0;
  if (!spent) return null;
  const seconds = [
    headerNumber(headers, 'ratelimit-reset'),
    headerNumber(headers, 'ratelimit-user-reset'),
  ].filter((value): value is number => value !== null);
  // A 429 without reset headers: the window is a minute long.
  const wait = seconds.length > 0 ? Math.max(...seconds) * 1000 : ONE_MINUTE_MS;
  return now + Math.max(1000, wait);
}

/** This client's requests a minute: its share of the organization's budget, at least one. */
export function clientBudgetPerMinute(orgRequestsPerMinute: number, share: number): number {
  return Math.max(1, Math.floor(orgRequestsPerMinute * share));
}

/**
 * The shortest poll interval that keeps a poll of `requestsPerPoll` requests within the client's
 * budget: with the default 10 % of 200 (20 a minute) and three pipelines, 9 seconds.
 */
export function minimumIntervalSeconds(requestsPerPoll: number, budgetPerMinute: number): number {
  return Math.ceil((60 * Math.max(1, requestsPerPoll)) / Math.max(1, budgetPerMinute));
}

/**
 * When this client should step aside because the organization has no more than its share left
 * (epoch ms), or null. The rest of a nearly spent budget belongs to the team, not to a desktop.
 */
export function stepAsideUntil(
  budget: RateLimitBudget | null,
  share: number,
  now: number,
): number | null {
  if (!budget) return null;
  const resetAt = Date.parse(budget.resetAt);
  if (!(resetAt > now)) return null;
  return budget.remaining <= Math.floor(budget.limit * share) ? resetAt : null;
}

/** The requests this client made in the last minute, to keep within its own share. */
export class RequestWindow {
  private readonly times: number[] = [];

  constructor(private readonly perMinute: number) {}

  record(at: number): void {
    this.times.push(at);
  }

  /** Requests made in the minute before `now`. */
  count(now: number): number {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - ONE_MINUTE_MS) this.times.shift();
    return this.times.length;
  }

  /** When the next request fits in the window (epoch ms), or null when it fits now. */
  fullUntil(now: number): number | null {
    if (this.count(now) < this.perMinute) return null;
    return (this.times[0] ?? now) + ONE_MINUTE_MS;
  }
}
