/**
 * Durations and ages in the compact words a person scans quickly ("4m12s", "3h ago").
 * Every function takes `now` so it stays pure and testable.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "45s", "4m12s", "1h05m"; negative or non-finite input reads as "0s". */
export function formatDuration(milliseconds: number): string {
  const safe = Number.isFinite(milliseconds) && milliseconds > 0 ? milliseconds : 0;
  const totalSeconds = Math.floor(safe / SECOND);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes}m${pad(totalSeconds % 60)}s`;
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 24) return `${totalHours}h${pad(totalMinutes % 60)}m`;
  return `${Math.floor(totalHours / 24)}d${pad(totalHours % 24)}h`;
}

/** How long something ran: until it finished, or until `now` while it is still going. */
export function elapsedMilliseconds(
  startedAt: string | null,
  finishedAt: string | null,
  now: number,
): number | null {
  const start = parseTime(startedAt);
  if (start === null) return null;
  const end = parseTime(finishedAt) ?? now;
  return Math.max(0, end - start);
}

/** "just now", "12s ago", "4m ago", "3h ago", "2d ago". */
export function formatAge(milliseconds: number): string {
  const safe = Number.isFinite(milliseconds) && milliseconds > 0 ? milliseconds : 0;
  if (safe < 2 * SECOND) return 'just now';
  if (safe < MINUTE) return `${Math.floor(safe / SECOND)}s ago`;
  if (safe < HOUR) return `${Math.floor(safe / MINUTE)}m ago`;
  if (safe < DAY) return `${Math.floor(safe / HOUR)}h ago`;
  return `${Math.floor(safe / DAY)}d ago`;
}

/** The age of an ISO timestamp at `now`, or null when there is no timestamp. */
export function ageOf(time: string | null, now: number): string | null {
  const at = parseTime(time);
  return at === null ? null : formatAge(now - at);
}

/** "in 12s", "in 3m", "now" — for the next poll of a source. */
export function formatCountdown(time: string | null, now: number): string | null {
  const at = parseTime(time);
  if (at === null) return null;
  const remaining = at - now;
  if (remaining < SECOND) return 'now';
  if (remaining < MINUTE) return `in ${Math.ceil(remaining / SECOND)}s`;
  if (remaining < HOUR) return `in ${Math.round(remaining / MINUTE)}m`;
  return `in ${Math.round(remaining / HOUR)}h`;
}

/** Milliseconds since the epoch, or null for a missing or unreadable timestamp. */
export function parseTime(time: string | null | undefined): number | null {
  if (!time) return null;
  const value = Date.parse(time);
  return Number.isNaN(value) ? null : value;
}

function pad(value: number): string {
  return value.toString().padStart(2, '0');
}
