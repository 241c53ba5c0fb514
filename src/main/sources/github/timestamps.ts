/**
 * A GitHub timestamp as an ISO-8601 instant in UTC, or null when absent or unreadable. GitHub
 * mixes `Z` (jobs) with local offsets (steps: `09:42:40.000-08:00`); one form keeps them
 * comparable as text.
 */
export function instant(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** The same as epoch milliseconds, for ordering. */
export function epoch(value: string | null | undefined): number | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}
