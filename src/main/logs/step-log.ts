import { ApiError } from '../../shared/contract';
import type { LogBlock, LogHead } from '../../shared/log/log-api';
import type { LogText } from '../../shared/model';
import type { CiSource, FetchedLog, LogRef } from '../sources/source';
import { SourceError } from '../sources/source';
import { DamagedLogError } from '../store/compressed-text-table';
import type { LogKey } from '../store/log-repository';
import type { Store } from '../store/store';

/** Stored logs may take this much disk (compressed text and index) before the oldest go: 2 GiB. */
export const DEFAULT_LOG_BUDGET_BYTES = 2 * 1024 ** 3;

export interface LogDependencies {
  store: Store;
  sourceFor(sourceKey: string): CiSource | undefined;
  now(): Date;
  /** Indexes complete logs for search across builds; without it logs are stored unindexed. */
  indexer?: { enqueue(key: LogKey, text?: string): void };
  /** Defaults to `DEFAULT_LOG_BUDGET_BYTES`; a function for a budget that Settings may change. */
  logBudgetBytes?: number | (() => number);
}

/** The budget in force now. */
function logBudgetOf(dependencies: LogDependencies): number {
  const budget = dependencies.logBudgetBytes ?? DEFAULT_LOG_BUDGET_BYTES;
  return typeof budget === 'function' ? budget() : budget;
}

/** A step's log: the stored copy when complete, else fetched from its source and kept. */
export async function readStepLog(stepId: number, dependencies: LogDependencies): Promise<LogText> {
  return readText(stepTarget(stepId, null, dependencies.store), dependencies);
}

/** A whole stage's log (GitHub job log, GitLab trace), cached the same way. */
export async function readStageLog(
  stageId: number,
  dependencies: LogDependencies,
): Promise<LogText> {
  return readText(stageTarget(stageId, dependencies.store), dependencies);
}

/**
 * Opens a step's or a whole stage's log for reading block by block (`readLogBlock`): fetched
 * and kept first under the same rule as `readStepLog`, then described from the store without
 * reading any of its text, so that opening a log of hundreds of megabytes costs one row.
 */
export async function openLog(
  key: { stageId: number; stepId: number | null },
  dependencies: LogDependencies,
  /** Fetch even a complete stored copy again (it was found damaged). */
  refresh = false,
): Promise<LogHead> {
  const { store } = dependencies;
  const target =
    key.stepId === null
      ? stageTarget(key.stageId, store)
      : stepTarget(key.stepId, key.stageId, store);
  // Spared by the budget: the reader's next requests are for this log's blocks.
  await fetchUnlessStored(target, dependencies, { spare: true, refresh });
  const head = store.getLogHead(target.key);
  if (head === null) throw new ApiError('not-found', `${describeLog(target.key)} is not stored.`);
  return { ...target.key, ...head };
}

/**
 * One block of a stored log, of the copy fetched at `fetchedAt`: a log fetched again since
 * (still growing, or opened from another window) has other blocks, and joining blocks of two
 * copies would garble it, so the reader is told to open it again.
 */
export function readLogBlock(
  key: LogKey,
  block: number,
  fetchedAt: string,
  store: Store,
): LogBlock {
  if (key.stepId !== null) stepContext(key.stepId, key.stageId, store);
  const head = store.getLogHead(key);
  if (head === null) {
    throw new ApiError('not-found', `${describeLog(key)} is not stored; open it again.`);
  }
  if (head.fetchedAt !== fetchedAt) {
    throw new ApiError(
      'conflict',
      'The log was fetched again while it was being read; open it again.',
    );
  }
  const found = block < head.blocks ? readDamaged(key, () => store.readLogBlock(key, block)) : null;
  if (found === null) {
    throw new ApiError(
      'not-found',
      `${describeLog(key)} has no block ${block}: it is stored in ${head.blocks} block${head.blocks === 1 ? '' : 's'}.`,
    );
  }
  return { block, text: found.text };
}

/**
 * Reads a stored log, turning a damaged copy (a block that does not decompress) into an answer a
 * person can act on: opening the log with `refresh` fetches it from the CI server again, and
 * keeps this copy, losing nothing, if the server no longer has it.
 */
function readDamaged<T>(key: LogKey, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof DamagedLogError)) throw error;
    throw new ApiError(
      'internal',
      `${describeLog(key)} is damaged in Pipewatch's database: ${error.message}. Try again to fetch it from the CI server.`,
    );
  }
}

interface LogTarget {
  key: LogKey;
  ref: LogRef;
  sourceKey: string;
}

function describeLog(key: LogKey): string {
  return key.stepId === null ? `The log of stage ${key.stageId}` : `The log of step ${key.stepId}`;
}

/** The step, which must belong to `stageId` when one is given. */
function stepContext(stepId: number, stageId: number | null, store: Store) {
  const context = store.getStepContext(stepId);
  if (!context) throw new ApiError('not-found', `There is no step ${stepId}.`);
  if (stageId !== null && context.step.stageId !== stageId) {
    throw new ApiError('not-found', `Stage ${stageId} has no step ${stepId}.`);
  }
  return context;
}

function stepTarget(stepId: number, stageId: number | null, store: Store): LogTarget {
  const context = stepContext(stepId, stageId, store);
  return {
    key: { stageId: context.step.stageId, stepId },
    ref: {
      pipelineExternalId: context.pipeline.externalId,
      buildExternalId: context.build.externalId,
      stageExternalId: context.stageExternalId,
      stepExternalId: context.step.externalId,
    },
    sourceKey: context.sourceKey,
  };
}

function stageTarget(stageId: number, store: Store): LogTarget {
  const context = store.getStageContext(stageId);
  if (!context) throw new ApiError('not-found', `There is no stage ${stageId}.`);
  if (!context.stage.hasLog) {
    throw new ApiError(
      'not-found',
      `Stage ${context.stage.name} has no log of its own at its source; open one of its steps.`,
    );
  }
  return {
    key: { stageId, stepId: null },
    ref: {
      pipelineExternalId: context.pipeline.externalId,
      buildExternalId: context.build.externalId,
      stageExternalId: context.stage.externalId,
      stepExternalId: null,
    },
    sourceKey: context.sourceKey,
  };
}

/** The whole text: as just fetched, or else as stored. */
async function readText(target: LogTarget, dependencies: LogDependencies): Promise<LogText> {
  const fetched = await fetchUnlessStored(target, dependencies, { spare: false });
  if (fetched !== null) {
    return {
      ...target.key,
      text: fetched.text,
      complete: fetched.complete,
      fetchedAt: dependencies.now().toISOString(),
    };
  }
  const { store } = dependencies;
  const stored = readDamaged(target.key, () => store.readLog(target.key));
  // Only the budget removes a stored log, and only while another log was being fetched.
  if (stored === null) {
    throw new ApiError('not-found', `${describeLog(target.key)} is not stored; open it again.`);
  }
  return { ...target.key, ...stored };
}

/**
 * Finished logs never change, so a complete stored copy is served without asking the source; a
 * source that fails falls back to whatever copy we have. Answers the log as fetched (and kept),
 * or null when the stored copy is the answer.
 */
async function fetchUnlessStored(
  target: LogTarget,
  dependencies: LogDependencies,
  options: { spare: boolean; refresh?: boolean },
): Promise<FetchedLog | null> {
  const { store } = dependencies;
  const stored = store.getLogHead(target.key);
  if (stored?.complete && options.refresh !== true) return null;
  const source = dependencies.sourceFor(target.sourceKey);
  if (!source) throw new ApiError('conflict', 'The source of this log is no longer configured.');
  try {
    const fetched = await source.fetchLog(target.ref);
    const { stageId, stepId } = target.key;
    // A log that came in pieces is stored (and indexed) piece by piece, never joined here.
    const text = fetched.pieces ?? fetched.text;
    if (stepId === null) store.putStageLog(stageId, text, fetched.complete);
    else store.putLog(stepId, text, fetched.complete);
    // Logs are kept past the provider's retention; only the budget ever removes them.
    store.evictLogsOverBudget(logBudgetOf(dependencies), options.spare ? target.key : undefined);
    if (fetched.complete) {
      dependencies.indexer?.enqueue(target.key, fetched.pieces ? undefined : fetched.text);
    }
    return fetched;
  } catch (error) {
    if (error instanceof SourceError) {
      if (stored) return null;
      throw new ApiError('source-error', `The log could not be fetched: ${error.message}`);
    }
    throw error;
  }
}
