import { z } from 'zod';

/**
 * The one status vocabulary shared by every provider. Each adapter maps its own states onto
 * these with an exhaustive switch; nothing else in the app knows a provider's words.
 */
export const STATUSES = [
  'queued',
  'running',
  'success',
  'failed',
  'cancelled',
  'skipped',
  'waiting',
  'blocked',
  'unknown',
] as const;

export const statusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof statusSchema>;

/** A status that will not change any more without someone re-running the build. */
export function isFinished(status: Status): boolean {
  switch (status) {
    case 'success':
    case 'failed':
    case 'cancelled':
    case 'skipped':
    case 'blocked':
      return true;
    case 'queued':
    case 'running':
    case 'waiting':
    case 'unknown':
      return false;
    default:
      return assertNever(status);
  }
}

/** Something is happening (or about to): pollers speed up while any build is in this state. */
export function isActive(status: Status): boolean {
  return status === 'queued' || status === 'running' || status === 'waiting';
}

/**
 * Rolls the statuses of a build's stages up into one build status: a failure anywhere wins,
 * then anything still moving, then a gate waiting for a human.
 */
export function rollUpStatus(statuses: readonly Status[]): Status {
  if (statuses.length === 0) return 'unknown';
  const has = (s: Status): boolean => statuses.includes(s);
  if (has('failed')) return 'failed';
  if (has('running')) return 'running';
  if (has('waiting')) return 'waiting';
  if (has('queued')) return 'queued';
  if (has('cancelled')) return 'cancelled';
  if (has('unknown')) return 'unknown';
  if (statuses.every((s) => s === 'skipped')) return 'skipped';
  return 'success';
}

/** For exhaustive switches: the compiler proves this is unreachable. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
