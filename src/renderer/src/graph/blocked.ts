import type { Status } from '../../../shared/status';
import { stageEdges } from './stage-edges';

/** What blocked propagation needs of a stage; `needs` is absent for build summaries. */
export type BlockableStage = {
  externalId: string;
  position: number;
  status: Status;
  needs?: readonly string[];
};

/** Statuses of a stage that never started; after a failure upstream they mean "blocked". */
const NEVER_STARTED: readonly Status[] = ['queued', 'unknown', 'skipped'];

/**
 * Shows stages that did not run because of a failure as `blocked`, whatever the provider called
 * them (GitHub says "skipped", some say "queued" for ever). With `needs`, that is every
 * never-started stage downstream of a failed one. Without needs (summaries, order-only
 * providers) it is every never-started stage after the first failed position, once the build
 * is over, since a build still running may yet run stages the order alone cannot place.
 * Pure: unchanged stages are returned as the same objects.
 */
export function propagateBlocked<T extends BlockableStage>(
  stages: readonly T[],
  buildIsOver: boolean,
): T[] {
  const failed = stages.filter((stage) => stage.status === 'failed');
  if (failed.length === 0) return [...stages];
  const hasNeeds = stages.some((stage) => (stage.needs?.length ?? 0) > 0);
  let downstream: ReadonlySet<string>;
  if (hasNeeds) {
    downstream = descendants(
      stages,
      failed.map((stage) => stage.externalId),
    );
  } else if (buildIsOver) {
    const firstFailure = Math.min(...failed.map((stage) => stage.position));
    downstream = new Set(
      stages.filter((stage) => stage.position > firstFailure).map((stage) => stage.externalId),
    );
  } else {
    return [...stages];
  }
  return stages.map((stage) =>
    downstream.has(stage.externalId) && NEVER_STARTED.includes(stage.status)
      ? { ...stage, status: 'blocked' }
      : stage,
  );
}

function descendants(stages: readonly BlockableStage[], from: readonly string[]): Set<string> {
  const edges = stageEdges(
    stages.map((stage) => ({
      id: stage.externalId,
      needs: stage.needs ?? [],
      position: stage.position,
    })),
  );
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const found = new Set<string>();
  const queue = [...from];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const to of next.get(id) ?? []) {
      if (found.has(to)) continue;
      found.add(to);
      queue.push(to);
    }
  }
  return found;
}
