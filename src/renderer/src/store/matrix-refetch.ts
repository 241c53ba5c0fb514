import type { EventBatch } from './event-batch';

/**
 * Whether a batch of pushed events touches the open matrix, and which of its builds changed:
 * null when nothing needs reading. Gate changes re-read it too, since a gate's id alone does not
 * say which build it belongs to. Pure.
 */
export function planMatrixRefetch(
  batch: EventBatch,
  matrixPipelineId: number | null,
): { changedBuildIds: ReadonlySet<number> } | null {
  if (matrixPipelineId === null) return null;
  if (batch.everything || batch.gatesChanged || batch.pipelineIds.has(matrixPipelineId)) {
    return { changedBuildIds: batch.buildIds };
  }
  return null;
}
