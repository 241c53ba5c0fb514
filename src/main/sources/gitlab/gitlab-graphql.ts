import type { GitlabGraphAnswer } from './gitlab-wire';
import type { GraphJob, PipelineGraph } from './map-graph';

/**
 * The REST job entity has no `needs` and no stage order; GraphQL has both (`CiJob.needs`,
 * `CiJob.schedulingType` tells `needs: []` from no `needs` at all). One query per pipeline,
 * asked once: a pipeline's shape never changes after it is created.
 */
export const PIPELINE_GRAPH_QUERY = `query pipewatchPipelineGraph($fullPath: ID!, $iid: ID!) {
  project(fullPath: $fullPath) {
    pipeline(iid: $iid) {
      stages { nodes { name } }
      jobs(first: 100) {
        nodes { name schedulingType manualJob needs { nodes { name } } }
      }
    }
  }
}`;

/** The graph in an answer, or null with the reason when GraphQL could not give it. */
export function toPipelineGraph(
  answer: GitlabGraphAnswer,
): { graph: PipelineGraph } | { graph: null; reason: string } {
  const first = answer.errors?.[0];
  if (first) return { graph: null, reason: first.message };
  const pipeline = answer.data?.project?.pipeline;
  if (!pipeline)
    return { graph: null, reason: 'the project or pipeline is not visible to GraphQL' };
  const stageOrder = (pipeline.stages?.nodes ?? [])
    .map((node) => node?.name)
    .filter((name): name is string => typeof name === 'string');
  const jobs = new Map<string, GraphJob>();
  for (const node of pipeline.jobs?.nodes ?? []) {
    if (!node?.name) continue;
    jobs.set(node.name, {
      schedulingType: node.schedulingType ?? null,
      manualJob: node.manualJob ?? null,
      needs: (node.needs?.nodes ?? [])
        .map((need) => need?.name)
        .filter((name): name is string => typeof name === 'string'),
    });
  }
  return { graph: { stageOrder, jobs } };
}
