import { pollingConfigSchema, type PollingConfig } from '../../src/shared/config';
import type { SourceHealth } from '../../src/shared/model';
import { Poller, type RunPoll } from '../../src/main/poller/poller';
import { FakeClock } from './poller-fake-clock';

/** Active 5 s, idle 60 s, backoff up to 900 s, 4 polls at once. */
const defaults: PollingConfig = pollingConfigSchema.parse({});

export interface PollCall {
  key: string;
  at: number;
  signal: AbortSignal;
}

export interface Harness {
  clock: FakeClock;
  poller: Poller;
  calls: PollCall[];
  healthLog: Array<{ key: string; health: SourceHealth }>;
  callsOf(key: string): PollCall[];
  gapsOf(key: string): number[];
}

const running: Harness[] = [];

/** A poller on a fake clock that records every `runPoll` call and every health change. */
export function startPoller(
  runPoll: (key: string, signal: AbortSignal, clock: FakeClock) => Promise<{ active: boolean }>,
  options: {
    config?: Partial<PollingConfig>;
    random?: () => number;
    pollTimeoutMs?: number;
    onHealth?: (key: string, health: SourceHealth) => void;
  } = {},
): Harness {
  const clock = new FakeClock();
  const calls: PollCall[] = [];
  const healthLog: Harness['healthLog'] = [];
  const recordingRunPoll: RunPoll = (key, signal) => {
    calls.push({ key, at: clock.now(), signal });
    return runPoll(key, signal, clock);
  };
  const poller = new Poller({
    config: { ...defaults, ...options.config },
    runPoll: recordingRunPoll,
    onHealth: (key, health) => {
      healthLog.push({ key, health });
      options.onHealth?.(key, health);
    },
    clock,
    random: options.random ?? (() => 0.5),
    ...(options.pollTimeoutMs === undefined ? {} : { pollTimeoutMs: options.pollTimeoutMs }),
  });
  const callsOf = (key: string) => calls.filter((call) => call.key === key);
  const harness: Harness = {
    clock,
    poller,
    calls,
    healthLog,
    callsOf,
    gapsOf: (key) => {
      const times = callsOf(key).map((call) => call.at);
      return times.slice(1).map((time, index) => time - (times[index] ?? 0));
    },
  };
  running.push(harness);
  return harness;
}

/** Stops every poller a test started; a poll that ignores its signal needs the grace period. */
export async function stopAllPollers(): Promise<void> {
  for (const { poller, clock } of running.splice(0)) {
    const stopping = poller.stop();
    await clock.advance(10_000);
    await stopping;
  }
}

/** A poll that settles only when its source is aborted (stop, remove, timeout). */
export function untilAborted(_key: string, signal: AbortSignal): Promise<{ active: boolean }> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Small deterministic generator so skews differ between sources. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}
