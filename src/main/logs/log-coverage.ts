import type { StoredLogState } from '../store/log-repository';

/** How much of a pipeline's logs a search covers, so that "no results" can be trusted. */
export interface LogSearchCoverage {
  /** Stored logs whose text is in the index. */
  logsSearched: number;
  /** Stored logs of steps still running: indexed once they are complete. */
  logsRunning: number;
  /** Stored, complete logs the indexer has not reached yet. */
  logsWaiting: number;
  /** Builds of the pipeline in the history. */
  buildsKept: number;
  /** Builds with no stored log at all. */
  buildsWithoutLogs: number;
  /** Build numbers of the oldest and newest searched logs; null when none was searched. */
  searchedBuilds: { oldest: number; newest: number } | null;
}

/** Adds up the stored logs of a pipeline into what a search of them covers. */
export function summarizeCoverage(
  logs: readonly StoredLogState[],
  buildsKept: number,
): LogSearchCoverage {
  let logsSearched = 0;
  let logsRunning = 0;
  let logsWaiting = 0;
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  const buildsWithLogs = new Set<number>();
  for (const log of logs) {
    buildsWithLogs.add(log.buildId);
    if (log.state === 'running') logsRunning += 1;
    else if (log.state === 'waiting') logsWaiting += 1;
    else {
      logsSearched += 1;
      oldest = Math.min(oldest, log.buildNumber);
      newest = Math.max(newest, log.buildNumber);
    }
  }
  return {
    logsSearched,
    logsRunning,
    logsWaiting,
    buildsKept,
    // A build pruned between the two queries must not make the count negative.
    buildsWithoutLogs: Math.max(0, buildsKept - buildsWithLogs.size),
    searchedBuilds: logsSearched === 0 ? null : { oldest, newest },
  };
}
