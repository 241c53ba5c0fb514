import { assertNever, type Status } from '../../../shared/status';

/** Every status the stage view plugin sends (`StatusExt`). */
export const JENKINS_STATUSES = [
  'NOT_EXECUTED',
  'ABORTED',
  'SUCCESS',
  'IN_PROGRESS',
  'PAUSED_PENDING_INPUT',
  'FAILED',
  'SKIPPED',
  'UNSTABLE',
] as const;
export type JenkinsStatus = (typeof JENKINS_STATUSES)[number];

function known(raw: string | null | undefined): JenkinsStatus | null {
  return (JENKINS_STATUSES as readonly string[]).includes(raw ?? '')
    ? (raw as JenkinsStatus)
    : null;
}

/**
 * A run's (build's) status. UNSTABLE (tests failed, the build went on) is `failed` here because
 * the one vocabulary has no "unstable" and it must never read as success; `statusWord` keeps the
 * word for the UI. NOT_EXECUTED on a run means nothing has started yet.
 */
export function mapRunStatus(raw: string | null | undefined): Status {
  const status = known(raw);
  if (status === null) return 'unknown';
  switch (status) {
    case 'IN_PROGRESS':
      return 'running';
    case 'PAUSED_PENDING_INPUT':
      return 'waiting';
    case 'SUCCESS':
      return 'success';
    case 'FAILED':
    case 'UNSTABLE':
      return 'failed';
    case 'ABORTED':
      return 'cancelled';
    case 'SKIPPED':
      return 'skipped';
    case 'NOT_EXECUTED':
      return 'queued';
    default:
      return assertNever(status);
  }
}

/**
 * A stage's or step's status. NOT_EXECUTED in a finished build is a stage that never ran because
 * an earlier one failed or the build was stopped: `blocked`. While the build still runs it is
 * merely not reached yet: `queued`.
 */
export function mapNodeStatus(raw: string | null | undefined, buildActive: boolean): Status {
  const status = known(raw);
  if (status === 'NOT_EXECUTED') return buildActive ? 'queued' : 'blocked';
  return mapRunStatus(raw);
}

/**
 * The provider's word where our status loses information ("Unstable" shown as failed), for a
 * `statusDetail` the UI can show; null where the status says it all.
 */
export function statusWord(raw: string | null | undefined): string | null {
  return known(raw) === 'UNSTABLE' ? 'Unstable' : null;
}
