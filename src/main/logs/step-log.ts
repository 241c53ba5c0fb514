import { ApiError } from '../../shared/contract';
import type { LogText } from '../../shared/model';
import type { CiSource } from '../sources/source';
import { SourceError } from '../sources/source';
import type { Store } from '../store/store';

/**
 * A step's log: from the store when a complete copy is there (finished steps never change),
 * else fetched from the source and kept.
 */
export async function readStepLog(
  stepId: number,
  dependencies: { store: Store; sourceFor(sourceKey: string): CiSource | undefined; now(): Date },
): Promise<LogText> {
  const { store } = dependencies;
  const context = store.getStepContext(stepId);
  if (!context) throw new ApiError('not-found', `There is no step ${stepId}.`);
  const cached = store.getLog(stepId);
  if (cached?.complete) return { stepId, ...cached };
  const source = dependencies.sourceFor(context.sourceKey);
  if (!source) throw new ApiError('conflict', 'The source of this step is no longer configured.');
  try {
    const fetched = await source.fetchLog({
      pipelineExternalId: context.pipeline.externalId,
      buildExternalId: context.build.externalId,
      stageExternalId: context.stageExternalId,
      stepExternalId: context.step.externalId,
    });
    store.putLog(stepId, fetched.text, fetched.complete);
    return {
      stepId,
      text: fetched.text,
      complete: fetched.complete,
      fetchedAt: dependencies.now().toISOString(),
    };
  } catch (error) {
    if (error instanceof SourceError) {
      if (cached) return { stepId, ...cached };
      throw new ApiError('source-error', `The log could not be fetched: ${error.message}`);
    }
    throw error;
  }
}
