import type { PollingConfig } from '../../shared/config';
import type { SourceHealth } from '../../shared/model';
import { SourceError, type SourceErrorKind } from '../sources/source';

/**
 * Pure scheduling decisions of the poller: how long to wait before the next poll of a source,
 * and what its health says after a poll. No timers, no clock reads: the shell passes `now` and
 * `random` in, so every rule here is tested with plain values.
 */

/** How one poll ended, as the scheduler needs to know it. */
export type PollOutcome =
  | { kind: 'ok'; /** Something runs or waits for a person: poll fast. */ active: boolean }
  | {
      kind: 'error';
      error: SourceError | Error;
      /** Failed polls in a row, this one included (1 after the first failure). */
      consecutiveFailures: number;
      now: number;
    };

/** No poll is ever scheduled sooner than this after the previous one. */
export const MINIMUM_INTERVAL_MS = 1000;
/** Every healthy delay is stretched or shrunk by up to this fraction so clients do not synchronise. */
export const SKEW_FRACTION = 0.1;
/** While the window is hidden, idle sources are polled this many times less often… */
export const HIDDEN_IDLE_FACTOR = 4;
/** …and active ones this many times less often. */
export const HIDDEN_ACTIVE_FACTOR = 3;
/**
 * Hiding the window never stretches a delay past this (unless the configured interval is
 * already longer): someone who glances back at a wall display should not see data older than it.
 */
export const HIDDEN_CEILING_MS = 15 * 60 * 1000;
/** Spread over which clients that share a token come back after a rate-limit reset. */
export const RETRY_AT_JITTER_MS = 5000;
/** A server's Retry-After beyond this is treated as a parsing accident, not an instruction. */
export const RETRY_AT_LIMIT_MS = 24 * 60 * 60 * 1000;

/** Milliseconds to wait before the next poll of a source. */
export function nextDelay(input: {
  outcome: PollOutcome;
  config: PollingConfig;
  hidden: boolean;
  random: () => number;
}): number {
  const { outcome, config, hidden, random } = input;
  if (outcome.kind === 'ok') return healthyDelay(outcome.active, config, hidden, random);
  return errorDelay(outcome, config, random);
}

function healthyDelay(
  active: boolean,
  config: PollingConfig,
  hidden: boolean,
  random: () => number,
): number {
  const base = (active ? config.activeIntervalSeconds : config.idleIntervalSeconds) * 1000;
  const factor = active ? HIDDEN_ACTIVE_FACTOR : HIDDEN_IDLE_FACTOR;
  const delay = hidden ? Math.max(base, Math.min(base * factor, HIDDEN_CEILING_MS)) : base;
  const skew = (unit(random) * 2 - 1) * SKEW_FRACTION;
  return atLeastMinimum(delay * (1 + skew));
}

function errorDelay(
  outcome: Extract<PollOutcome, { kind: 'error' }>,
  config: PollingConfig,
  random: () => number,
): number {
  const maximum = Math.max(config.maxBackoffSeconds * 1000, MINIMUM_INTERVAL_MS);
  const kind = errorKind(outcome.error);
  // A revoked token or a missing permission will not fix itself in seconds: go straight to the
  // longest wait, skewed downwards so the cap still holds.
  const backoff =
    kind === 'auth' || kind === 'forbidden'
      ? maximum * (1 - unit(random) * SKEW_FRACTION)
      : exponentialBackoff(outcome.consecutiveFailures, config, maximum, random);
  const retryAt = outcome.error instanceof SourceError ? outcome.error.retryAt : null;
  if (retryAt === null || retryAt <= outcome.now) return atLeastMinimum(backoff);
  // The server said when to come back: never sooner, and with a little spread so every client
  // sharing the token does not return in the same second.
  const serverWait = Math.min(retryAt - outcome.now, RETRY_AT_LIMIT_MS);
  const withJitter = serverWait + unit(random) * Math.min(RETRY_AT_JITTER_MS, serverWait);
  return atLeastMinimum(Math.max(backoff, withJitter));
}

/**
 * Full jitter between the active interval and a ceiling that doubles with each failure: failing
 * clients spread out instead of retrying in lockstep, and no retry comes sooner than a healthy
 * active poll would.
 */
function exponentialBackoff(
  consecutiveFailures: number,
  config: PollingConfig,
  maximum: number,
  random: () => number,
): number {
  const base = Math.min(config.activeIntervalSeconds * 1000, maximum);
  const doublings = Math.min(Math.max(consecutiveFailures, 1), 40);
  const ceiling = Math.min(base * 2 ** doublings, maximum);
  return base + unit(random) * (ceiling - base);
}

/** Health of a source before its first poll. */
export function initialHealth(nextPollAt: number | null): SourceHealth {
  return {
    state: 'pending',
    message: null,
    lastPollAt: null,
    lastSuccessAt: null,
    nextPollAt: nextPollAt === null ? null : isoTime(nextPollAt),
    backoffUntil: null,
    consecutiveFailures: 0,
  };
}

/** A source's health after a poll ended with `outcome` at `now`, the next poll at `nextPollAt`. */
export function healthAfter(
  previous: SourceHealth,
  outcome: PollOutcome,
  now: number,
  nextPollAt: number,
): SourceHealth {
  if (outcome.kind === 'ok') {
    return {
      state: 'ok',
      message: null,
      lastPollAt: isoTime(now),
      lastSuccessAt: isoTime(now),
      nextPollAt: isoTime(nextPollAt),
      backoffUntil: null,
      consecutiveFailures: 0,
    };
  }
  const kind = errorKind(outcome.error);
  return {
    state: healthState(kind),
    message: errorMessage(outcome.error, kind, now, nextPollAt),
    lastPollAt: isoTime(now),
    lastSuccessAt: previous.lastSuccessAt,
    nextPollAt: isoTime(nextPollAt),
    // Every failure backs off; the UI shows until when, whatever the state is called.
    backoffUntil: isoTime(nextPollAt),
    consecutiveFailures: outcome.consecutiveFailures,
  };
}

/** `'bug'` is an exception that is not a `SourceError`: an adapter failed in a way it did not foresee. */
type ErrorKind = SourceErrorKind | 'bug';

function errorKind(error: SourceError | Error): ErrorKind {
  return error instanceof SourceError ? error.kind : 'bug';
}

function healthState(kind: ErrorKind): SourceHealth['state'] {
  switch (kind) {
    case 'auth':
    case 'forbidden':
      return 'auth-failed';
    case 'unreachable':
      return 'unreachable';
    case 'bad-response':
    case 'bug':
      return 'bad-response';
    case 'rate-limited':
    case 'server':
    case 'not-found':
      return 'backing-off';
    default:
      return assertNever(kind);
  }
}

const LEADS: Record<ErrorKind, { lead: string; advice: string | null }> = {
  auth: { lead: 'The server rejected the token', advice: 'Check the source’s token.' },
  forbidden: {
    lead: 'The token is not allowed to read this',
    advice: 'Check the token’s permissions.',
  },
  'not-found': {
    lead: 'The server does not know this project or pipeline',
    advice: 'Check the source’s settings.',
  },
  unreachable: { lead: 'Cannot reach the server', advice: null },
  'rate-limited': { lead: 'Rate limited by the server', advice: null },
  server: { lead: 'The server answered with an error', advice: null },
  'bad-response': { lead: 'The server sent an answer Pipewatch cannot read', advice: null },
  bug: { lead: 'Reading this source failed unexpectedly', advice: null },
};

/** Longest adapter detail quoted in a message; an HTML error page must not become the message. */
const DETAIL_LIMIT = 200;

function errorMessage(
  error: SourceError | Error,
  kind: ErrorKind,
  now: number,
  nextPollAt: number,
): string {
  const { lead, advice } = LEADS[kind];
  const detail = errorDetail(error.message, lead);
  const wait = formatDuration(nextPollAt - now);
  const sentences = [
    `${lead}${detail === null ? '' : ` (${detail})`}.`,
    advice,
    `Next try in ${wait}, at ${formatClockTime(nextPollAt)}.`,
  ];
  return sentences.filter((sentence) => sentence !== null).join(' ');
}

function errorDetail(message: string, lead: string): string | null {
  const trimmed = message.trim().replace(/\.+$/, '');
  if (trimmed === '' || trimmed.toLowerCase() === lead.toLowerCase()) return null;
  return trimmed.length > DETAIL_LIMIT ? `${trimmed.slice(0, DETAIL_LIMIT - 1)}…` : trimmed;
}

/** A wait as a person says it: "45 s", "4 min", "2 h 5 min". */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(1, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** Local wall-clock time, "14:05:10", for messages a person reads next to their own clock. */
export function formatClockTime(epochMilliseconds: number): string {
  const date = new Date(epochMilliseconds);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
}

function isoTime(epochMilliseconds: number): string {
  return new Date(epochMilliseconds).toISOString();
}

function atLeastMinimum(milliseconds: number): number {
  return Math.max(MINIMUM_INTERVAL_MS, Math.round(milliseconds));
}

/** `random()` clamped to [0, 1], so an odd injected generator cannot produce odd delays. */
function unit(random: () => number): number {
  const value = random();
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0.5;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected error kind: ${String(value)}`);
}
