import { assertNever, type Status } from '../../../shared/status';

/** Every pipeline and job status GitLab documents (the `status` filter of the pipelines list). */
export const GITLAB_STATUSES = [
  'created',
  'waiting_for_resource',
  'preparing',
  'pending',
  'running',
  'success',
  'failed',
  'canceled',
  'canceling',
  'skipped',
  'manual',
  'scheduled',
] as const;
export type GitlabStatus = (typeof GITLAB_STATUSES)[number];

/** The status as one GitLab documents, or null for a word this version does not know. */
export function parseGitlabStatus(value: string): GitlabStatus | null {
  return (GITLAB_STATUSES as readonly string[]).includes(value) ? (value as GitlabStatus) : null;
}

/**
 * A pipeline's status in Pipewatch's words. `manual` means the pipeline stopped at a blocking
 * manual job, a person's decision: `waiting`. `canceling` is still winding down: `running` until
 * GitLab says `canceled`. `scheduled` (a delayed job's timer) and the resource/preparing states
 * have not started: `queued`.
 */
export function mapPipelineStatus(value: string): Status {
  const status = parseGitlabStatus(value);
  if (status === null) return 'unknown';
  switch (status) {
    case 'created':
    case 'waiting_for_resource':
    case 'preparing':
    case 'pending':
    case 'scheduled':
      return 'queued';
    case 'running':
    case 'canceling':
      return 'running';
    case 'success':
      return 'success';
    case 'failed':
      return 'failed';
    case 'canceled':
      return 'cancelled';
    case 'skipped':
      return 'skipped';
    case 'manual':
      return 'waiting';
    default:
      return assertNever(status);
  }
}

/**
 * A job's (or bridge's) own status in Pipewatch's words, before the graph is considered: a
 * `manual` job waits for a person (a gate); `skipped` is refined to `blocked` by the graph when
 * an earlier failure is why (see `refineBlocked`). A `scheduled` (delayed) job is `queued`: it
 * starts by itself when its timer ends.
 */
export function mapJobStatus(value: string): Status {
  // Jobs and pipelines share GitLab's vocabulary and map alike; the graph refines jobs later.
  return mapPipelineStatus(value);
}
