import { ApiError } from '../../shared/contract';
import type { LogText } from '../../shared/model';
import type { CiSource, LogRef } from '../sources/source';
import { SourceError } from '../sources/source';
import type { LogKey, StoredLog } from '../store/log-repository';
import type { Store } from '../store/store';

/** Stored logs may take this much disk (compressed text and index) before the oldest go: 2 GiB. */
export const DEFAULT_LOG_BUDGET_BYTES = 2 * 1024 ** 3;

export interface LogDependencies {
  store: Store;
  sourceFor(sourceKey: string): CiSource | undefined;
  now(): Date;
  /** Indexes complete logs for search across builds; without it logs are stored unindexed. */
  indexer?: { enqueue(key: LogKey, text?: string): void };
  /** Defaults to `DEFAULT_LOG_BUDGET_BYTES`. */
  logBudgetBytes?: number;
}

/** A step's log: the stored copy when complete, else fetched from its source and kept. */
export async function readStepLog(stepId: number, dependencies: LogDependencies): Promise<LogText> {
  const { store } = dependencies;
  const context = store.getStepContext(stepId);
  if (!context) throw new ApiError('not-found', `There is no step ${stepId}.`);
  return readThroughCache(
    {
      ids: { stageId: context.step.stageId, stepId },
      ref: {
        pipelineExternalId: context.pipeline.externalId,
        buildExternalId: context.build.externalId,
        stageExternalId: context.stageExternalId,
        stepExternalId: context.step.externalId,
      },
      sourceKey: context.sourceKey,
      cached: () => store.getLog(stepId),
      keep: (text, complete) => store.putLog(stepId, text, complete),
    },
    dependencies,
  );
}

/** A whole stage's log (GitHub job log, GitLab trace), cached the same way. */
export async function readStageLog(
  stageId: number,
  dependencies: LogDependencies,
): Promise<LogText> {
  const { store } = dependencies;
  const context = store.getStageContext(stageId);
  if (!context) throw new ApiError('not-found', `There is no stage ${stageId}.`);
  if (!context.stage.hasLog) {
    throw new ApiError(
      'not-found',
      `Stage ${context.stage.name} has no log of its own at its source; open one of its steps.`,
    );
  }
  return readThroughCache(
    {
      ids: { stageId, stepId: null },
      ref: {
        pipelineExternalId: context.pipeline.externalId,
        buildExternalId: context.build.externalId,
        stageExternalId: context.stage.externalId,
        stepExternalId: null,
      },
      sourceKey: context.sourceKey,
      cached: () => store.getStageLog(stageId),
      keep: (text, complete) => store.putStageLog(stageId, text, complete),
    },
    dependencies,
  );
}

interface LogTarget {
  ids: { stageId: number; stepId: number | null };
  ref: LogRef;
  sourceKey: string;
  cached(): StoredLog | null;
  keep(text: string, complete: boolean): void;
}

/**
 * Finished logs never change, so a complete stored copy is served without asking the source; a
 * source that fails falls back to whatever copy we have.
 */
async function readThroughCache(
  target: LogTarget,
  dependencies: LogDependencies,
): Promise<LogText> {
  const cached = target.cached();
  if (cached?.complete) return { ...target.ids, ...cached };
  const source = dependencies.sourceFor(target.sourceKey);
  if (!source) throw new ApiError('conflict', 'The source of this log is no longer configured.');
  try {
    const fetched = await source.fetchLog(target.ref);
    target.keep(fetched.text, fetched.complete);
    // Logs are kept past the provider's retention; only the budget ever removes them.
    dependencies.store.evictLogsOverBudget(dependencies.logBudgetBytes ?? DEFAULT_LOG_BUDGET_BYTES);
    if (fetched.complete) dependencies.indexer?.enqueue(target.ids, fetched.text);
    return {
      ...target.ids,
      text: fetched.text,
      complete: fetched.complete,
      fetchedAt: dependencies.now().toISOString(),
    };
  } catch (error) {
    if (error instanceof SourceError) {
      if (cached) return { ...target.ids, ...cached };
      throw new ApiError('source-error', `The log could not be fetched: ${error.message}`);
    }
    throw error;
  }
}
