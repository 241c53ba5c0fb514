import type { Status } from '../../../shared/status';
import { stageEdges } from './stage-edges';

/** What the failure path needs of a stage. */
export type PathStage = {
  externalId: string;
  position: number;
  status: Status;
  needs: readonly string[];
};

/** The stages and edges that led to a failure, and the failed stages themselves. */
export type FailurePath = {
  failed: ReadonlySet<string>;
  /** Failed stages and every stage they (transitively) needed. */
  stages: ReadonlySet<string>;
  /** Edges between stages on the path, by `edgeId`. */
  edges: ReadonlySet<string>;
};

/** No failure: nothing to emphasise. */
export const NO_FAILURE_PATH: FailurePath = {
  failed: new Set(),
  stages: new Set(),
  edges: new Set(),
};

/**
 * The path from the start of a build to where it failed: every failed stage, each stage it
 * needed (all the way back to the start), and the hand-overs between them. Stages on parallel
 * branches that did not lead to the failure are not on it. Pure.
 */
export function failurePath(stages: readonly PathStage[]): FailurePath {
  const failed = new Set(
    stages.filter((stage) => stage.status === 'failed').map((stage) => stage.externalId),
  );
  if (failed.size === 0) return NO_FAILURE_PATH;
  const edges = stageEdges(
    stages.map((stage) => ({ id: stage.externalId, needs: stage.needs, position: stage.position })),
  );
  const incoming = new Map<string, typeof edges>();
  for (const edge of edges) incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);

  const onPath = new Set(failed);
  const pathEdges = new Set<string>();
  const queue = [...failed];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const edge of incoming.get(id) ?? []) {
      pathEdges.add(edge.id);
      if (onPath.has(edge.from)) continue;
      onPath.add(edge.from);
      queue.push(edge.from);
    }
  }
  return { failed, stages: onPath, edges: pathEdges };
}
