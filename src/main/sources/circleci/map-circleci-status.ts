import type { GateState } from '../../../shared/model';
import { assertNever, type Status } from '../../../shared/status';

/**
 * CircleCI's workflow and job statuses (the enums of its API v2 OpenAPI document) in the one
 * status vocabulary. Statuses arrive as strings; one CircleCI adds later reads as `other`.
 */

export const WORKFLOW_STATUSES = [
  'success',
  'running',
  'not_run',
  'failed',
  'error',
  'failing',
  'on_hold',
  'canceled',
  'unauthorized',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number] | 'other';

export const JOB_STATUSES = [
  'success',
  'running',
  'not_run',
  'failed',
  'retried',
  'queued',
  'not_running',
  'infrastructure_fail',
  'timedout',
  'on_hold',
  'terminated-unknown',
  'blocked',
  'canceled',
  'unauthorized',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number] | 'other';

export function readWorkflowStatus(value: string): WorkflowStatus {
  return (WORKFLOW_STATUSES as readonly string[]).includes(value)
    ? (value as WorkflowStatus)
    : 'other';
}

export function readJobStatus(value: string): JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(value) ? (value as JobStatus) : 'other';
}

/** A workflow run's status. `on_hold` is an approval job waiting for a person. */
export function mapWorkflowStatus(status: WorkflowStatus): Status {
  switch (status) {
    case 'success':
      return 'success';
    case 'running':
    case 'failing': // A job failed while others still run: not over yet.
      return 'running';
    case 'on_hold':
      return 'waiting';
    case 'failed':
    case 'error':
    case 'unauthorized': // The workflow needs a context its trigger may not use: it did not run.
      return 'failed';
    case 'canceled':
      return 'cancelled';
    case 'not_run':
      return 'skipped';
    case 'other':
      return 'unknown';
    default:
      return assertNever(status);
  }
}

/** Whether CircleCI will change this workflow without someone acting on it. */
export function isSettledWorkflow(status: WorkflowStatus): boolean {
  switch (status) {
    case 'success':
    case 'failed':
    case 'error':
    case 'canceled':
    case 'not_run':
    case 'unauthorized':
      return true;
    case 'running':
    case 'failing':
    case 'on_hold':
    case 'other':
      return false;
    default:
      return assertNever(status);
  }
}

/**
 * A job's status. CircleCI's `blocked` means "waiting for the jobs it requires", not "will not
 * run"; `not_run` after a failed requirement is what Pipewatch calls blocked.
 */
export function mapJobStatus(status: JobStatus, requirementFailed: boolean): Status {
  switch (status) {
    case 'success':
      return 'success';
    case 'running':
      return 'running';
    case 'queued':
    case 'not_running': // Waiting for an executor.
    case 'blocked':
      return 'queued';
    case 'on_hold':
      return 'waiting';
    case 'failed':
    case 'infrastructure_fail':
    case 'timedout':
    case 'unauthorized':
      return 'failed';
    case 'canceled':
      return 'cancelled';
    case 'not_run':
      return requirementFailed ? 'blocked' : 'skipped';
    case 'retried': // Superseded by a re-run; its own outcome is not stated.
    case 'terminated-unknown':
    case 'other':
      return 'unknown';
    default:
      return assertNever(status);
  }
}

/**
 * The gate an approval job is: null until the workflow reaches it, waiting while on hold,
 * approved once approved, expired when the workflow stopped first (cancelled, or never reached
 * because a requirement failed).
 */
export function mapApprovalStatus(status: JobStatus): GateState | null {
  switch (status) {
    case 'on_hold':
      return 'waiting';
    case 'success':
      return 'approved';
    case 'canceled':
    case 'not_run':
    case 'failed':
    case 'infrastructure_fail':
    case 'timedout':
    case 'unauthorized':
    case 'retried':
    case 'terminated-unknown':
      return 'expired';
    case 'blocked':
    case 'queued':
    case 'not_running':
    case 'running':
    case 'other':
      return null;
    default:
      return assertNever(status);
  }
}
