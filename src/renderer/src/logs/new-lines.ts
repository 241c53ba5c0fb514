import type { LogComparison } from '../../../shared/log/log-api';

/**
 * "New since the last green build": stepping through the new lines of a compared log and saying
 * what the comparison found.
 */

/**
 * The next (or previous) new line after (before) `from`, wrapping around the log; the first
 * (last) one when nothing is current. `lines` are 1-based and ascending; null when empty.
 */
export function stepNewLine(
  lines: readonly number[],
  from: number | null,
  direction: 1 | -1,
): number | null {
  if (lines.length === 0) return null;
  const first = lines[0] ?? null;
  const last = lines[lines.length - 1] ?? null;
  if (from === null) return direction === 1 ? first : last;
  // Binary search: the index of the first line greater than `from`.
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((lines[middle] ?? 0) <= from) low = middle + 1;
    else high = middle;
  }
  if (direction === 1) return low < lines.length ? (lines[low] ?? null) : first;
  const before = lines[low - 1] === from ? low - 2 : low - 1;
  return before >= 0 ? (lines[before] ?? null) : last;
}

/** "3 of 12" while stepping, "12 new lines" before, "No new lines" when there are none. */
export function newLineCountWords(lines: readonly number[], current: number | null): string {
  const count = lines.length;
  if (count === 0) return 'No new lines';
  const total = count.toLocaleString('en-US');
  const index = current === null ? -1 : lines.indexOf(current);
  if (index >= 0) return `${(index + 1).toLocaleString('en-US')} of ${total} new`;
  return count === 1 ? '1 new line' : `${total} new lines`;
}

/** The toggle's label: what it compares with, once that is known. */
export function compareToggleWords(comparison: LogComparison | null): string {
  if (comparison?.baseline) return `New since last green: #${comparison.baseline.buildNumber}`;
  return 'Compare with last green';
}

/** What the marks mean, next to the count. */
export function baselineWords(buildNumber: number, count: number): string {
  if (count === 0)
    return `Every line reads like one in build #${buildNumber}, the last green run of this stage.`;
  return `Marked in green: what build #${buildNumber}, the last green run of this stage, did not print.`;
}

/** Why a comparison shows nothing, in words; null when it found what it could. */
export function comparisonNote(comparison: LogComparison): string | null {
  if (comparison.note !== null) return comparison.note;
  if (comparison.baseline === null) {
    return 'No earlier build passed this stage, so there is no green log to compare with.';
  }
  return null;
}
