import type { GateState, HealthState } from '../../../shared/model';
import { assertNever, type Status } from '../../../shared/status';

/** The word shown next to every status colour, so colour is never the only signal. */
export function statusWord(status: Status): string {
  switch (status) {
    case 'success':
      return 'Passed';
    case 'failed':
      return 'Failed';
    case 'running':
      return 'Running';
    case 'waiting':
      return 'Waiting';
    case 'queued':
      return 'Queued';
    case 'blocked':
      return 'Blocked';
    case 'cancelled':
      return 'Cancelled';
    case 'skipped':
      return 'Skipped';
    case 'unknown':
      return 'Unknown';
    default:
      return assertNever(status);
  }
}

/** Anything with a status and maybe the provider's own word for it. */
export interface StatusWithDetail {
  status: Status;
  statusDetail?: string | null;
}

/**
 * The word to show: the provider's where it says more than ours ("Unstable" rather than
 * "Failed", "Warnings" rather than "Passed"), else ours.
 */
export function statusText(item: StatusWithDetail): string {
  return item.statusDetail || statusWord(item.status);
}

/**
 * The classes that colour an item: its status, and its detail when it has its own look
 * (`status-detail--unstable`), so that an unstable build never looks like a plain failure.
 */
export function statusClasses(item: StatusWithDetail): string {
  const detail = statusDetailClass(item.statusDetail);
  return detail ? `status--${item.status} ${detail}` : `status--${item.status}`;
}

/** `status-detail--unstable` for "Unstable"; empty without a detail. */
export function statusDetailClass(detail: string | null | undefined): string {
  const slug = detail?.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return slug ? `status-detail--${slug}` : '';
}

/** A source's health state in words. */
export function healthWord(state: HealthState): string {
  switch (state) {
    case 'pending':
      return 'Waiting for first poll';
    case 'ok':
      return 'OK';
    case 'backing-off':
      return 'Backing off';
    case 'auth-failed':
      return 'Authentication failed';
    case 'unreachable':
      return 'Unreachable';
    case 'bad-response':
      return 'Bad response';
    default:
      return assertNever(state);
  }
}

/** A gate's state as a short phrase: "Waiting for approval", "Approved by alice". */
export function gateStateWords(gate: { state: GateState; decidedBy: string | null }): string {
  const by = gate.decidedBy ? ` by ${gate.decidedBy}` : '';
  switch (gate.state) {
    case 'waiting':
      return 'Waiting for approval';
    case 'approved':
      return `Approved${by}`;
    case 'rejected':
      return `Rejected${by}`;
    case 'expired':
      return 'Expired';
    default:
      return assertNever(gate.state);
  }
}

/** "1 waiting for approval", "3 waiting for approval". */
export function waitingGatesWords(count: number): string {
  return `${count} waiting for approval`;
}

/** The first seven characters of a commit, as git prints them. */
export function shortSha(sha: string | null): string | null {
  return sha ? sha.slice(0, 7) : null;
}
