import type { Source } from '../../../shared/model';

/**
 * What a source's provider budget allows, in words: "4,812 of 5,000 requests left (resets
 * 14:05)" for an hourly budget, "polls at most every 3 s to share the organization's budget" for
 * a budget shared with the team. Empty when the provider says nothing.
 */
export function budgetWords(source: Source, formatTime: (iso: string) => string): string[] {
  const words: string[] = [];
  if (source.rateLimit) {
    const { remaining, limit, resetAt } = source.rateLimit;
    words.push(
      `${remaining.toLocaleString('en')} of ${limit.toLocaleString('en')} requests left (resets ${formatTime(resetAt)})`,
    );
  }
  if (source.minimumIntervalSeconds !== null && source.minimumIntervalSeconds > 0) {
    words.push(
      `polls at most every ${Math.ceil(source.minimumIntervalSeconds)} s to share the organization's budget`,
    );
  }
  return words;
}
