import type { PollingConfig } from '../../shared/config';
import type { SourceHealth } from '../../shared/model';
import { SourceError } from '../sources/source';
import { systemClock, type Clock } from './clock';
import { healthAfter, initialHealth, nextDelay, type PollOutcome } from './schedule';
import { Semaphore } from './semaphore';

export type { Clock } from './clock';

/** Polls one source; resolves with whether anything runs or waits there (poll fast then). */
/**
 * One poll of one source. `minimumDelayMs` lets a source slow its own schedule (a provider
 * budget shared with other people, e.g. Buildkite's per-organization limit).
 */
export type RunPoll = (
  sourceKey: string,
  signal: AbortSignal,
) => Promise<{ active: boolean; minimumDelayMs?: number }>;

/** What the poller needs from the core; it knows nothing of SQLite or providers. */
export interface PollerOptions {
  config: PollingConfig;
  runPoll: RunPoll;
  /** Called whenever a source's health changes, including its first 'pending' health on `add`. */
  onHealth: (sourceKey: string, health: SourceHealth) => void;
  clock?: Clock;
  random?: () => number;
  /** A poll that has not settled by then is aborted and counts as 'unreachable'. */
  pollTimeoutMs?: number;
  /** How long `stop()` waits for a poll that ignores its abort signal. */
  stopGraceMs?: number;
}

/** Default per-poll timeout: generous for a slow Jenkins, short enough that a hung socket frees its slot. */
export const DEFAULT_POLL_TIMEOUT_MS = 60_000;
export const DEFAULT_STOP_GRACE_MS = 5000;
/** The first poll of a new source comes within this, so sources added together do not poll together. */
export const FIRST_POLL_SPREAD_MS = 1000;

interface SourceState {
  readonly key: string;
  health: SourceHealth;
  timer: unknown;
  dueAt: number | null;
  /** 'queued' waits for a concurrency slot; 'polling' holds one. */
  phase: 'idle' | 'queued' | 'polling';
  controller: AbortController | null;
  consecutiveFailures: number;
  /** Activity seen by the last successful poll; null before one, or while failing. */
  lastActive: boolean | null;
  removed: boolean;
}

type PollResult =
  | { kind: 'done'; active: boolean; minimumDelayMs: number }
  | { kind: 'failed'; error: unknown }
  | { kind: 'timed-out' }
  | { kind: 'aborted' };

/**
 * Polls every added source on its own `setTimeout` chain (never `setInterval`): fast while
 * something moves, slowly while idle, slower while hidden, backing off on errors. Polls share a
 * bounded number of slots. A poll's failure becomes health, never an exception, and the stop flag
 * and "was this source removed?" are re-checked after every `await`.
 */
export class Poller {
  private readonly config: PollingConfig;
  private readonly runPoll: RunPoll;
  private readonly onHealth: PollerOptions['onHealth'];
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly pollTimeoutMs: number;
  private readonly stopGraceMs: number;
  private readonly slots: Semaphore;
  private readonly sources = new Map<string, SourceState>();
  /** Cycles between leaving their timer and scheduling the next one. */
  private readonly cycles = new Set<Promise<void>>();
  /** `runPoll` calls not yet settled, including ones abandoned after a timeout. */
  private readonly unsettledPolls = new Set<Promise<unknown>>();
  private hidden = false;
  private stopped = false;
  private stopping: Promise<void> | null = null;

  constructor(options: PollerOptions) {
    this.config = options.config;
    this.runPoll = options.runPoll;
    this.onHealth = options.onHealth;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.pollTimeoutMs = options.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
    this.stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    this.slots = new Semaphore(options.config.maxConcurrentPolls);
  }

  /** Starts polling a source; its first poll comes within a second. Adding it twice does nothing. */
  add(sourceKey: string): void {
    if (this.stopped || this.sources.has(sourceKey)) return;
    const state: SourceState = {
      key: sourceKey,
      health: initialHealth(null),
      timer: null,
      dueAt: null,
      phase: 'idle',
      controller: null,
      consecutiveFailures: 0,
      lastActive: null,
      removed: false,
    };
    this.sources.set(sourceKey, state);
    const delay = Math.floor(this.random() * FIRST_POLL_SPREAD_MS);
    this.schedule(state, Math.max(0, Math.min(delay, FIRST_POLL_SPREAD_MS)));
    this.publish(state, initialHealth(state.dueAt));
  }

  /** Stops polling a source and abandons its poll in flight. */
  remove(sourceKey: string): void {
    const state = this.sources.get(sourceKey);
    if (!state) return;
    this.sources.delete(sourceKey);
    state.removed = true;
    this.cancelTimer(state);
    state.controller?.abort(new SourceError('unreachable', 'The source was removed'));
  }

  /**
   * Polls a source as soon as a slot is free instead of waiting for its timer. Returns false when
   * the source is unknown, the poller stopped, or a poll of it is already in flight (it is not
   * doubled); true when a poll will start after this call.
   */
  pollNow(sourceKey: string): boolean {
    const state = this.sources.get(sourceKey);
    if (!state || this.stopped || state.phase === 'polling') return false;
    if (state.phase === 'queued') return true;
    this.cancelTimer(state);
    this.startCycle(state);
    return true;
  }

  /**
   * Slows polling while no one looks. Becoming visible again brings forward polls that were
   * pushed out by the hidden slowdown; backoffs after errors stay as they are.
   */
  setHidden(hidden: boolean): void {
    if (hidden === this.hidden) return;
    this.hidden = hidden;
    if (hidden || this.stopped) return;
    const now = this.clock.now();
    for (const state of this.sources.values()) {
      if (state.timer === null || state.dueAt === null || state.lastActive === null) continue;
      const delay = nextDelay({
        outcome: { kind: 'ok', active: state.lastActive },
        config: this.config,
        hidden: false,
        random: this.random,
      });
      if (now + delay >= state.dueAt) continue;
      this.cancelTimer(state);
      this.schedule(state, delay);
      this.publish(state, { ...state.health, nextPollAt: new Date(now + delay).toISOString() });
    }
  }

  /** The source's current health, or undefined for a source that was never added or was removed. */
  health(sourceKey: string): SourceHealth | undefined {
    return this.sources.get(sourceKey)?.health;
  }

  /**
   * Stops every timer, aborts polls in flight through their signal and resolves once they have
   * settled (or after a grace period for a poll that ignores its signal). Idempotent.
   */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopped = true;
    for (const state of this.sources.values()) {
      this.cancelTimer(state);
      state.controller?.abort(new SourceError('unreachable', 'Pipewatch is stopping'));
    }
    this.stopping = this.settle();
    return this.stopping;
  }

  private async settle(): Promise<void> {
    await Promise.allSettled([...this.cycles]);
    if (this.unsettledPolls.size === 0) return;
    let graceTimer: unknown = null;
    const grace = new Promise<void>((resolve) => {
      graceTimer = this.clock.setTimeout(resolve, this.stopGraceMs);
    });
    await Promise.race([Promise.allSettled([...this.unsettledPolls]), grace]);
    this.clock.clearTimeout(graceTimer);
  }

  private schedule(state: SourceState, delay: number): void {
    state.dueAt = this.clock.now() + delay;
    state.timer = this.clock.setTimeout(() => {
      state.timer = null;
      state.dueAt = null;
      this.startCycle(state);
    }, delay);
  }

  private cancelTimer(state: SourceState): void {
    if (state.timer !== null) this.clock.clearTimeout(state.timer);
    state.timer = null;
    state.dueAt = null;
  }

  private startCycle(state: SourceState): void {
    if (this.stopped || state.removed) return;
    state.phase = 'queued';
    const cycle = this.cycle(state)
      .catch((error: unknown) => {
        // Only a bug in the poller itself lands here; keep the chain alive at the slowest pace.
        console.error(`Pipewatch poller: polling "${state.key}" failed unexpectedly`, error);
        if (!this.stopped && !state.removed && state.timer === null) {
          this.schedule(state, this.config.maxBackoffSeconds * 1000);
        }
      })
      .finally(() => this.cycles.delete(cycle));
    this.cycles.add(cycle);
  }

  private async cycle(state: SourceState): Promise<void> {
    const release = await this.slots.acquire();
    try {
      if (this.stopped || state.removed) return;
      state.phase = 'polling';
      const result = await this.pollOnce(state);
      if (this.stopped || state.removed || result.kind === 'aborted') return;
      const now = this.clock.now();
      const outcome = this.outcomeOf(state, result, now);
      const delay = Math.max(
        nextDelay({ outcome, config: this.config, hidden: this.hidden, random: this.random }),
        result.kind === 'done' ? result.minimumDelayMs : 0,
      );
      this.schedule(state, delay);
      this.publish(state, healthAfter(state.health, outcome, now, now + delay));
    } finally {
      // Back to idle before the slot goes, so `pollNow` can start the next cycle right away.
      state.phase = 'idle';
      release();
    }
  }

  private outcomeOf(state: SourceState, result: PollResult, now: number): PollOutcome {
    if (result.kind === 'done') {
      state.consecutiveFailures = 0;
      state.lastActive = result.active;
      return { kind: 'ok', active: result.active };
    }
    state.consecutiveFailures += 1;
    state.lastActive = null;
    const error =
      result.kind === 'timed-out'
        ? new SourceError(
            'unreachable',
            `no answer within ${Math.round(this.pollTimeoutMs / 1000)} s`,
          )
        : toError(result.kind === 'failed' ? result.error : undefined);
    return { kind: 'error', error, consecutiveFailures: state.consecutiveFailures, now };
  }

  /**
   * One `runPoll`, raced against its timeout and its abort signal so that a poll that ignores
   * the signal still frees its slot. Never rejects.
   */
  private async pollOnce(state: SourceState): Promise<PollResult> {
    const controller = new AbortController();
    state.controller = controller;
    let timeoutHandle: unknown = null;
    let onAbort: (() => void) | null = null;
    const poll = this.startPoll(state.key, controller.signal);
    const timedOut = new Promise<PollResult>((resolve) => {
      timeoutHandle = this.clock.setTimeout(() => {
        resolve({ kind: 'timed-out' });
        controller.abort(new SourceError('unreachable', 'The poll timed out'));
      }, this.pollTimeoutMs);
    });
    const aborted = new Promise<PollResult>((resolve) => {
      onAbort = () => resolve({ kind: 'aborted' });
      controller.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([poll, timedOut, aborted]);
    } finally {
      this.clock.clearTimeout(timeoutHandle);
      if (onAbort) controller.signal.removeEventListener('abort', onAbort);
      if (state.controller === controller) state.controller = null;
    }
  }

  private startPoll(sourceKey: string, signal: AbortSignal): Promise<PollResult> {
    let raw: Promise<{ active: boolean; minimumDelayMs?: number }>;
    try {
      raw = Promise.resolve(this.runPoll(sourceKey, signal));
    } catch (error) {
      raw = Promise.reject(error);
    }
    const settled = raw.then(
      (value): PollResult => ({
        kind: 'done',
        active: value?.active === true,
        minimumDelayMs: Math.max(0, value?.minimumDelayMs ?? 0),
      }),
      (error: unknown): PollResult => ({ kind: 'failed', error }),
    );
    this.unsettledPolls.add(settled);
    void settled.finally(() => this.unsettledPolls.delete(settled));
    return settled;
  }

  private publish(state: SourceState, health: SourceHealth): void {
    state.health = health;
    try {
      this.onHealth(state.key, health);
    } catch (error) {
      // A listener's bug must not stop polling.
      console.error(`Pipewatch poller: the health listener failed for "${state.key}"`, error);
    }
  }
}

function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : 'the poll failed without an error');
}
