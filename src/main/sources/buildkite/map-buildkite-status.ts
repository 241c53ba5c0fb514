import type { GateState } from '../../../shared/model';
import { assertNever, type Status } from '../../../shared/status';

/**
 * Buildkite's job and build states (buildkite/docs `jobs.md`, `builds.md`) in the one status
 * vocabulary. States arrive as strings; a state Buildkite adds later reads as `other` → unknown.
 */

export const JOB_STATES = [
  'pending',
  'waiting',
  'waiting_failed',
  'blocked',
  'blocked_failed',
  'unblocked',
  'unblocked_failed',
  'limiting',
  'limited',
  'scheduled',
  'assigned',
  'accepted',
  'running',
  'passed',
  'failed',
  'timing_out',
  'timed_out',
  'canceling',
  'canceled',
  'skipped',
  'broken',
  'expired',
  'platform_limiting',
  'platform_limited',
] as const;
export type JobState = (typeof JOB_STATES)[number] | 'other';

export const BUILD_STATES = [
  'creating',
  'scheduled',
  'running',
  'passed',
  'failing',
  'failed',
  'blocked',
  'canceling',
  'canceled',
  'skipped',
  'not_run',
  'waiting',
  'waiting_failed',
] as const;
export type BuildState = (typeof BUILD_STATES)[number] | 'other';

export function readJobState(value: string | null | undefined): JobState {
  return (JOB_STATES as readonly string[]).includes(value ?? '') ? (value as JobState) : 'other';
}

export function readBuildState(value: string | null | undefined): BuildState {
  return (BUILD_STATES as readonly string[]).includes(value ?? '')
    ? (value as BuildState)
    : 'other';
}

/**
 * A job's status. `afterFailure` tells a `broken` job that did not run because an earlier one
 * failed (blocked) from one whose condition or branch filter left it out (skipped).
 */
export function mapJobState(state: JobState, afterFailure: boolean): Status {
  switch (state) {
    case 'pending':
    case 'waiting':
    case 'limiting':
    case 'limited':
    case 'platform_limiting':
    case 'platform_limited':
    case 'scheduled':
    case 'assigned':
    case 'accepted':
      return 'queued';
    case 'running':
    case 'timing_out':
    case 'canceling': // Still stopping: the agent may yet report; not over until `canceled`.
      return 'running';
    // A block step reached: a person must unblock it.
    case 'blocked':
      return 'waiting';
    case 'passed':
    case 'unblocked':
    case 'unblocked_failed':
      return 'success';
    case 'failed':
    case 'timed_out':
    case 'expired': // Waited too long for an agent; Buildkite fails the build for it.
      return 'failed';
    case 'waiting_failed':
    case 'blocked_failed':
      return 'blocked';
    case 'broken':
      return afterFailure ? 'blocked' : 'skipped';
    case 'canceled':
      return 'cancelled';
    case 'skipped':
      return 'skipped';
    case 'other':
      return 'unknown';
    default:
      return assertNever(state);
  }
}

/**
 * A build's status. A blocked build keeps its last `state` (often `passed`) with `blocked: true`;
 * Buildkite's own UI shows it green, but it is waiting for a person, and Pipewatch says so.
 */
export function mapBuildState(state: BuildState, blocked: boolean): Status {
  switch (state) {
    case 'creating':
    case 'scheduled':
    case 'waiting':
      return blocked ? 'waiting' : 'queued';
    case 'running':
    case 'failing': // Something failed while other jobs still run: the build is not over yet.
    case 'canceling':
      return blocked ? 'waiting' : 'running';
    case 'passed':
    case 'blocked':
      return blocked || state === 'blocked' ? 'waiting' : 'success';
    case 'failed':
    case 'waiting_failed':
      return 'failed';
    case 'canceled':
      return 'cancelled';
    case 'skipped':
    case 'not_run':
      return 'skipped';
    case 'other':
      return blocked ? 'waiting' : 'unknown';
    default:
      return assertNever(state);
  }
}

/** Whether Buildkite will change this build without someone acting: finished and not blocked. */
export function isSettledBuild(state: BuildState, blocked: boolean): boolean {
  if (blocked) return false;
  switch (state) {
    case 'passed':
    case 'failed':
    case 'canceled':
    case 'skipped':
    case 'not_run':
    case 'waiting_failed':
      return true;
    case 'creating':
    case 'scheduled':
    case 'running':
    case 'failing':
    case 'blocked':
    case 'canceling':
    case 'waiting':
    case 'other':
      return false;
    default:
      return assertNever(state);
  }
}

/**
 * The gate a block step is: null until the build reaches it (it is not yet a question for
 * anyone), waiting while blocked, approved once unblocked, expired when its build stopped first.
 */
export function mapBlockState(state: JobState): GateState | null {
  switch (state) {
    case 'blocked':
    case 'blocked_failed': // Reached in a build that already failed; a person may still unblock it.
      return 'waiting';
    case 'unblocked':
    case 'unblocked_failed':
    case 'passed':
      return 'approved';
    case 'canceled':
    case 'canceling':
    case 'skipped':
    case 'broken':
    case 'expired':
    case 'waiting_failed':
    case 'failed':
    case 'timed_out':
      return 'expired';
    case 'pending':
    case 'waiting':
    case 'limiting':
    case 'limited':
    case 'platform_limiting':
    case 'platform_limited':
    case 'scheduled':
    case 'assigned':
    case 'accepted':
    case 'running':
    case 'timing_out':
    case 'other':
      return null;
    default:
      return assertNever(state);
  }
}
