/**
 * Reads `Retry-After` (seconds or an HTTP date) as epoch milliseconds, or null when absent or
 * unreadable. `now` is the server's clock when the date form is to be read in it (see
 * `serverClockSkew`).
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return now + Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(now, date);
}

/** Below this, a `Date` header (whole seconds, sent a moment ago) is as good as our clock. */
const SKEW_NOISE_MS = 2000;

/**
 * How far the server's clock is ahead of ours (negative: behind), from the answer's `Date`
 * header; 0 without one or within a second or two. A `Retry-After` date or a rate-limit reset
 * time is written in the server's clock: a server a day ahead that says "come back at 10:05" means
 * "in five minutes", not "in a day and five minutes".
 */
export function serverClockSkew(dateHeader: string | null, now: number): number {
  if (dateHeader === null) return 0;
  const serverNow = Date.parse(dateHeader);
  if (Number.isNaN(serverNow)) return 0;
  const skew = serverNow - now;
  return Math.abs(skew) < SKEW_NOISE_MS ? 0 : skew;
}
