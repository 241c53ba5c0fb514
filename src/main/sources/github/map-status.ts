import { assertNever, type Status } from '../../../shared/status';

/** Every `status` GitHub gives a run, job or step (GH-SPEC `job.status`, run status filter). */
export const GITHUB_STATUSES = [
  'queued',
  'in_progress',
  'completed',
  'waiting',
  'requested',
  'pending',
] as const;
export type GithubStatus = (typeof GITHUB_STATUSES)[number];

/** Every `conclusion` of a completed run, job or step. */
export const GITHUB_CONCLUSIONS = [
  'success',
  'failure',
  'cancelled',
  'skipped',
  'neutral',
  'timed_out',
  'action_required',
  'stale',
  'startup_failure',
] as const;
export type GithubConclusion = (typeof GITHUB_CONCLUSIONS)[number];

function known<T extends string>(values: readonly T[], value: string | null | undefined): T | null {
  return values.find((candidate) => candidate === value) ?? null;
}

/**
 * A GitHub run's, job's or step's status and conclusion in Pipewatch's one vocabulary. A state
 * GitHub adds later maps to `unknown` rather than to a guess.
 */
export function mapGithubStatus(
  status: string | null | undefined,
  conclusion: string | null | undefined,
): Status {
  const state = known(GITHUB_STATUSES, status);
  if (state === null) return 'unknown';
  switch (state) {
    // "Only GitHub Actions can set requested or pending": both mean not started yet.
    case 'queued':
    case 'requested':
    case 'pending':
      return 'queued';
    case 'in_progress':
      return 'running';
    // A run or job waits on an environment's protection rules (reviewers, wait timer).
    case 'waiting':
      return 'waiting';
    case 'completed':
      return mapGithubConclusion(conclusion);
    default:
      return assertNever(state);
  }
}

/** The outcome of something that completed. */
export function mapGithubConclusion(conclusion: string | null | undefined): Status {
  const outcome = known(GITHUB_CONCLUSIONS, conclusion);
  if (outcome === null) return 'unknown';
  switch (outcome) {
    case 'success':
      return 'success';
    // startup_failure: the run never started (a broken workflow file, no runner), so the change
    // is not proven good.
    case 'failure':
    case 'timed_out':
    case 'startup_failure':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    // Neutral says "neither passed nor failed"; like skipped it neither blocks nor proves.
    case 'neutral':
    case 'skipped':
      return 'skipped';
    // A person must allow the run (a first-time contributor's fork); it waits for a human.
    case 'action_required':
      return 'waiting';
    // GitHub gave up on a check suite that stayed incomplete too long; it will not run again.
    case 'stale':
      return 'cancelled';
    default:
      return assertNever(outcome);
  }
}
