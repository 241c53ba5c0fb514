import type { Gate, SourceKind, StageSummary } from '../../../shared/model';
import { formatDuration, parseTime } from './duration';

/**
 * Facts about a waiting gate in words: who may decide it, when it expires, what the candidate
 * passed, and whether its provider insists on a comment. Pure: `now` is always given.
 */

/** GitHub fails a run that waits for a deployment review longer than this. */
export const GITHUB_WAITING_RUN_DAYS = 30;

const DAY = 24 * 60 * 60 * 1000;

/** Whether the token's identity may decide, as the provider says, in words. */
export function mayDecideWords(canDecide: boolean | null): {
  text: string;
  tone: 'yes' | 'no' | 'unknown';
} {
  if (canDecide === true) return { text: 'You can approve', tone: 'yes' };
  if (canDecide === false) return { text: 'You are not a reviewer', tone: 'no' };
  return { text: 'Unknown — the provider does not say', tone: 'unknown' };
}

/** When a gate stops waiting on its own, and whether that is the provider's word or our rule. */
export type GateDeadline = { at: number; source: 'provider' | 'github-30-days' };

/**
 * The provider's own deadline where it gives one; for GitHub, which gives none, the 30 days
 * after which it fails a waiting run.
 */
export function gateDeadline(
  gate: Pick<Gate, 'expiresAt' | 'waitingSince'>,
  kind: SourceKind | null,
): GateDeadline | null {
  const given = parseTime(gate.expiresAt);
  if (given !== null) return { at: given, source: 'provider' };
  const since = parseTime(gate.waitingSince);
  if (kind === 'github' && since !== null) {
    return { at: since + GITHUB_WAITING_RUN_DAYS * DAY, source: 'github-30-days' };
  }
  return null;
}

/** "expires in 29d 23h", "expires in 4h 05m", "expires in 2m 10s", "expired". */
export function timeLeftWords(deadline: number, now: number): string {
  const left = deadline - now;
  if (!Number.isFinite(left) || left <= 0) return 'expired';
  const seconds = Math.floor(left / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  const pad = (value: number): string => value.toString().padStart(2, '0');
  if (days > 0) return `expires in ${days}d ${hours % 24}h`;
  if (hours > 0) return `expires in ${hours}h ${pad(minutes % 60)}m`;
  if (minutes > 0) return `expires in ${minutes}m ${pad(seconds % 60)}s`;
  return `expires in ${seconds}s`;
}

/** Time left under which the inbox shows the countdown as a warning. */
const NEAR_MS = 2 * 60 * 60 * 1000;

/** Less than two hours left: the inbox shows the countdown as a warning. */
export function isDeadlineNear(deadline: number, now: number): boolean {
  return deadline - now < NEAR_MS;
}

/** Whether the provider insists on a comment with a decision, and why (for the label). */
export function commentRule(kind: SourceKind | null): { required: boolean; reason: string | null } {
  switch (kind) {
    case 'github':
      // The review endpoint rejects a body without `comment` (docs: all three fields required).
      return { required: true, reason: 'GitHub requires a comment with every deployment review' };
    default:
      return { required: false, reason: null };
  }
}

/** A passed stage with how long it took: "compile 1m02s". */
export type Evidence = { name: string; duration: string | null };

/** The stages the candidate passed, in pipeline order, with their durations. */
export function evidenceOf(
  stages: readonly Pick<
    StageSummary,
    'name' | 'position' | 'status' | 'startedAt' | 'finishedAt'
  >[],
): Evidence[] {
  return [...stages]
    .filter((stage) => stage.status === 'success')
    .sort((a, b) => a.position - b.position)
    .map((stage) => {
      const start = parseTime(stage.startedAt);
      const end = parseTime(stage.finishedAt);
      return {
        name: stage.name,
        duration: start !== null && end !== null ? formatDuration(end - start) : null,
      };
    });
}
