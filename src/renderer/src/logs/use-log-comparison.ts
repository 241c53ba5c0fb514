import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/contract';
import type { LogComparison } from '../../../shared/log/log-api';
import { errorWords } from '../format/error-words';

/** Where a comparison stands: not asked for, running, done, or failed (in words). */
export type ComparisonState =
  | { phase: 'off' }
  | { phase: 'comparing' }
  | { phase: 'done'; comparison: LogComparison; newLines: ReadonlySet<number> }
  | { phase: 'failed'; error: string };

const NO_LINES: ReadonlySet<number> = new Set();

/**
 * Compares a step's (or a whole stage's) log with the same stage's log in the last green build,
 * once it is asked for (`enabled`). The core may have to fetch the green log from the CI server
 * first, so it is not done before someone asks; the answer is kept while the log is open, and a
 * failed comparison is tried again the next time it is asked for.
 */
export function useLogComparison(
  api: Pick<ApiClient, 'logs/compare'>,
  stageId: number,
  stepId: number | null,
  enabled: boolean,
): ComparisonState {
  const which = `${stageId}/${stepId ?? 'stage'}`;
  const [asked, setAsked] = useState({ which, enabled, attempt: 0 });
  // Each time it is switched on counts as asking again (a failure is not final).
  if (asked.which !== which || asked.enabled !== enabled) {
    setAsked({ which, enabled, attempt: asked.attempt + (enabled ? 1 : 0) });
  }
  const [result, setResult] = useState<{
    which: string;
    attempt: number;
    comparison: LogComparison | null;
    error: string | null;
  } | null>(null);
  const known = result?.which === which && result.comparison !== null;

  useEffect(() => {
    if (!enabled || known) return;
    let stopped = false;
    const attempt = asked.attempt;
    const input = stepId === null ? { stageId } : { stageId, stepId };
    api['logs/compare'](input).then(
      (comparison) => {
        if (!stopped) setResult({ which, attempt, comparison, error: null });
      },
      (error: unknown) => {
        if (!stopped) setResult({ which, attempt, comparison: null, error: errorWords(error) });
      },
    );
    return () => {
      stopped = true;
    };
  }, [api, stageId, stepId, which, enabled, known, asked.attempt]);

  const comparison = result?.which === which ? result.comparison : null;
  const newLines = useMemo(
    () => (comparison ? new Set(comparison.newLines) : NO_LINES),
    [comparison],
  );
  if (!enabled) return { phase: 'off' };
  if (comparison !== null) return { phase: 'done', comparison, newLines };
  if (result?.which === which && result.attempt === asked.attempt && result.error !== null) {
    return { phase: 'failed', error: result.error };
  }
  return { phase: 'comparing' };
}
