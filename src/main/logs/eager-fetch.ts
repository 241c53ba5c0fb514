import type { BuildDetail } from '../../shared/model';
import type { LogKey } from '../store/log-repository';
import type { ChangeSet } from '../store/store';
import { openLog, type LogDependencies } from './step-log';

export interface EagerLogFetcherOptions extends LogDependencies {
  log?: (line: string) => void;
}

export interface EagerLogFetcher {
  /** Call after each poll's write; returns at once, the fetching happens in the background. */
  onChanges(changes: ChangeSet): void;
  /** Resolves once every queued log has been fetched (or failed). */
  idle(): Promise<void>;
  /** Drops queued fetches and waits for the one in flight. */
  stop(): Promise<void>;
}

/**
 * The logs worth having before anyone asks: the whole log of each failed stage that has one,
 * else its failed steps' logs, else (a stage failed without saying which step) its last step
 * that has a log.
 */
export function failedLogKeys(detail: BuildDetail): LogKey[] {
  const keys: LogKey[] = [];
  for (const stage of detail.stages) {
    if (stage.status !== 'failed') continue;
    if (stage.hasLog) {
      keys.push({ stageId: stage.id, stepId: null });
      continue;
    }
    const withLogs = [...stage.steps]
      .filter((step) => step.hasLog)
      .sort((a, b) => a.number - b.number);
    const failed = withLogs.filter((step) => step.status === 'failed');
    const chosen = failed.length > 0 ? failed : withLogs.slice(-1);
    for (const step of chosen) keys.push({ stageId: stage.id, stepId: step.id });
  }
  return keys;
}

const keyOf = (key: LogKey): string => `${key.stageId}/${key.stepId ?? 'stage'}`;

/**
 * Fetches the logs of failed stages as soon as a poll sees the failure, one at a time, so that
 * the click on a red node finds the log already stored (and a provider that deletes logs after
 * 90 days cannot take it away). Never blocks the poll: `onChanges` only queues.
 */
export function createEagerLogFetcher(options: EagerLogFetcherOptions): EagerLogFetcher {
  const { store } = options;
  const report = options.log ?? (() => undefined);
  const queue = new Map<string, LogKey>();
  /** Logs already tried in this run: a log that failed to fetch waits for someone to open it. */
  const tried = new Set<string>();
  let running: Promise<void> | null = null;
  let stopped = false;

  const fetchOne = async (key: LogKey): Promise<void> => {
    if (store.getLogInfo(key)?.complete) return;
    // Stored as it comes, piece by piece: nobody reads its text yet.
    await openLog(key, options);
  };

  const drain = async (): Promise<void> => {
    while (!stopped && queue.size > 0) {
      const [id, key] = queue.entries().next().value as [string, LogKey];
      queue.delete(id);
      try {
        await fetchOne(key);
      } catch (error) {
        report(`Fetching the failed log ${id} failed: ${(error as Error).message}`);
      }
    }
  };

  const start = (): void => {
    if (running || stopped) return;
    running = drain().finally(() => {
      running = null;
      if (!stopped && queue.size > 0) start();
    });
  };

  return {
    onChanges(changes) {
      if (stopped) return;
      for (const change of changes.changes) {
        if (change.status !== 'failed') continue;
        let detail: BuildDetail | null;
        try {
          detail = store.getBuildDetail(change.buildId);
        } catch (error) {
          report(
            `Reading build ${change.buildId} for its failed logs failed: ${(error as Error).message}`,
          );
          continue;
        }
        if (detail === null) continue;
        for (const key of failedLogKeys(detail)) {
          const id = keyOf(key);
          if (tried.has(id)) continue;
          tried.add(id);
          queue.set(id, key);
        }
      }
      start();
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      queue.clear();
      while (running) await running;
    },
  };
}
