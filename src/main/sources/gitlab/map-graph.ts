import type { Status } from '../../../shared/status';
import type { GitlabJob } from './gitlab-wire';

/** What GraphQL says about a pipeline's shape (see `gitlab-graphql.ts`). */
export interface PipelineGraph {
  /** Stage names in the order the pipeline runs them. */
  stageOrder: string[];
  /** By job name. */
  jobs: ReadonlyMap<string, GraphJob>;
}

export interface GraphJob {
  /** `dag` when the job uses `needs:` (even `needs: []`), `stage` otherwise; null when unknown. */
  schedulingType: string | null;
  /** The job has a manual action (`when: manual`), whether or not it has been played. */
  manualJob: boolean | null;
  /** Names of the jobs it needs. */
  needs: string[];
}

/** A REST job or bridge, with which list it came from. */
export interface PipelineJob {
  job: GitlabJob;
  /** A trigger job (`/bridges`): it has a downstream pipeline instead of a log. */
  isBridge: boolean;
}

export interface LinkedJob extends PipelineJob {
  position: number;
  /** Ids of the jobs this one waits for. */
  needs: number[];
}

/**
 * Orders a pipeline's jobs (stage order, then name, as GitLab's pipeline graph does) and links
 * each to the jobs it needs. Explicit `needs` come from GraphQL; a job without them waits for
 * every job of the previous stage that has jobs. Without GraphQL (an older server, no
 * permission) stage order is guessed from job ids, which GitLab hands out in stage order when it
 * creates a pipeline, and every job falls back to stage order.
 */
export function linkJobs(jobs: readonly PipelineJob[], graph: PipelineGraph | null): LinkedJob[] {
  const stages = orderStages(jobs, graph);
  const stageIndex = new Map(stages.map((name, index) => [name, index]));
  const sorted = [...jobs].sort(
    (left, right) =>
      (stageIndex.get(left.job.stage) ?? 0) - (stageIndex.get(right.job.stage) ?? 0) ||
      left.job.name.localeCompare(right.job.name, 'en') ||
      left.job.id - right.job.id,
  );
  const byStage = new Map<string, number[]>();
  for (const { job } of sorted) {
    byStage.set(job.stage, [...(byStage.get(job.stage) ?? []), job.id]);
  }
  return sorted.map((entry, position) => {
    const explicit = graph?.jobs.get(entry.job.name);
    const usesNeeds =
      explicit !== undefined &&
      (explicit.schedulingType === 'dag' ||
        (explicit.schedulingType === null && explicit.needs.length > 0));
    const needs = usesNeeds
      ? explicit.needs.flatMap((name) => jobsNamed(sorted, name))
      : previousStageJobs(stages, byStage, entry.job.stage);
    return { ...entry, position, needs: [...new Set(needs)].filter((id) => id !== entry.job.id) };
  });
}

function orderStages(jobs: readonly PipelineJob[], graph: PipelineGraph | null): string[] {
  const firstId = new Map<string, number>();
  for (const { job } of jobs) {
    firstId.set(job.stage, Math.min(firstId.get(job.stage) ?? Infinity, job.id));
  }
  const known = (graph?.stageOrder ?? []).filter((name) => firstId.has(name));
  const rest = [...firstId.keys()]
    .filter((name) => !known.includes(name))
    .sort((left, right) => (firstId.get(left) ?? 0) - (firstId.get(right) ?? 0));
  return [...known, ...rest];
}

/** Parallel and matrix jobs are named `rspec 1/3` or `deploy: [eu]` while `needs` names `rspec`. */
function jobsNamed(jobs: readonly PipelineJob[], name: string): number[] {
  const exact = jobs.filter(({ job }) => job.name === name);
  const matches =
    exact.length > 0
      ? exact
      : jobs.filter(
          ({ job }) => job.name.startsWith(`${name} `) || job.name.startsWith(`${name}: `),
        );
  return matches.map(({ job }) => job.id);
}

function previousStageJobs(
  stages: readonly string[],
  byStage: ReadonlyMap<string, number[]>,
  stage: string,
): number[] {
  // Only stages that have jobs in this pipeline count: an empty stage is no barrier.
  for (let index = stages.indexOf(stage) - 1; index >= 0; index -= 1) {
    const ids = byStage.get(stages[index] ?? '');
    if (ids && ids.length > 0) return ids;
  }
  return [];
}

/**
 * Refines each job's own status with the graph: a job that was skipped (or is still waiting to
 * be created) because a job it depends on failed will never run: `blocked`, not `skipped` or
 * `queued`. A failure that is allowed (`allow_failure`) blocks nothing.
 */
export function refineBlocked(
  linked: readonly LinkedJob[],
  own: ReadonlyMap<number, Status>,
): Map<number, Status> {
  const byId = new Map(linked.map((entry) => [entry.job.id, entry]));
  const failedUpstream = new Map<number, boolean>();
  const hasFailedUpstream = (jobId: number, visiting: Set<number>): boolean => {
    const cached = failedUpstream.get(jobId);
    if (cached !== undefined) return cached;
    if (visiting.has(jobId)) return false;
    visiting.add(jobId);
    const entry = byId.get(jobId);
    const result = (entry?.needs ?? []).some((needed) => {
      const upstream = byId.get(needed);
      if (!upstream) return false;
      const failed = own.get(needed) === 'failed' && upstream.job.allow_failure !== true;
      return failed || hasFailedUpstream(needed, visiting);
    });
    failedUpstream.set(jobId, result);
    return result;
  };
  const refined = new Map(own);
  for (const entry of linked) {
    const status = own.get(entry.job.id);
    const couldBeBlocked =
      status === 'skipped' || (status === 'queued' && entry.job.status === 'created');
    if (couldBeBlocked && hasFailedUpstream(entry.job.id, new Set())) {
      refined.set(entry.job.id, 'blocked');
    }
  }
  return refined;
}
