import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises } from './poller-fake-clock';
import { seededRandom, startPoller, stopAllPollers } from './poller-harness';

afterEach(stopAllPollers);

describe('polling pace', () => {
  it('starts as pending and polls a new source within a second', async () => {
    const { poller, clock, calls, healthLog } = startPoller(async () => ({ active: false }));
    const start = clock.now();
    poller.add('team-gitlab');
    expect(poller.health('team-gitlab')?.state).toBe('pending');
    expect(healthLog[0]?.health.nextPollAt).toBe(new Date(start + 500).toISOString());

    await clock.advance(499);
    expect(calls).toHaveLength(0);
    await clock.advance(1);
    expect(calls).toHaveLength(1);
    expect(poller.health('team-gitlab')?.state).toBe('ok');
  });

  it('polls every 5 s while a build runs and every 60 s while nothing moves', async () => {
    const harness = startPoller(async (key) => ({ active: key === 'busy' }));
    harness.poller.add('busy');
    harness.poller.add('quiet');
    await harness.clock.advance(125_000);

    expect(harness.gapsOf('busy')).toHaveLength(24);
    expect(new Set(harness.gapsOf('busy'))).toEqual(new Set([5000]));
    expect(harness.gapsOf('quiet')).toEqual([60_000, 60_000]);
  });

  it('keeps one timer per source, never an interval', async () => {
    const { poller, clock } = startPoller(async () => ({ active: false }));
    ['a', 'b', 'c'].forEach((key) => poller.add(key));
    await clock.advance(180_000);
    expect(clock.pendingTimers).toBe(3);
  });

  it('polls more slowly while hidden and catches up as soon as it is shown', async () => {
    const harness = startPoller(async (key) => ({ active: key === 'busy' }));
    harness.poller.setHidden(true);
    harness.poller.add('busy');
    harness.poller.add('quiet');
    await harness.clock.advance(60_500);
    expect(harness.gapsOf('busy')).toEqual([15_000, 15_000, 15_000, 15_000]);
    expect(harness.callsOf('quiet')).toHaveLength(1);
    expect(harness.poller.health('quiet')?.nextPollAt).toBe(
      new Date(harness.clock.now() - 60_000 + 240_000).toISOString(),
    );

    harness.poller.setHidden(false);
    expect(harness.poller.health('quiet')?.nextPollAt).toBe(
      new Date(harness.clock.now() + 60_000).toISOString(),
    );
    await harness.clock.advance(60_000);
    expect(harness.callsOf('quiet')).toHaveLength(2);
    expect(harness.gapsOf('busy').slice(4)).toEqual(Array(12).fill(5000));
  });
});

describe('bounded concurrency', () => {
  it('never runs more than 4 polls at once across 20 sources', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const harness = startPoller(
      async (_key, _signal, clock) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 2000));
        inFlight -= 1;
        return { active: true };
      },
      { random: seededRandom(42) },
    );
    const keys = Array.from({ length: 20 }, (_, index) => `source-${index + 1}`);
    keys.forEach((key) => harness.poller.add(key));
    await harness.clock.advance(120_000);

    expect(mostInFlight).toBe(4);
    for (const key of keys) expect(harness.callsOf(key).length).toBeGreaterThanOrEqual(3);
  });
});

describe('poll now', () => {
  it('polls at once instead of waiting for the timer, then keeps the normal pace', async () => {
    const { poller, clock, calls } = startPoller(async () => ({ active: false }));
    poller.add('gitlab');
    await clock.advance(10_000);
    expect(calls).toHaveLength(1);

    expect(poller.pollNow('gitlab')).toBe(true);
    await flushPromises();
    expect(calls.map((call) => call.at - (calls[0]?.at ?? 0))).toEqual([0, 9500]);
    await clock.advance(59_999);
    expect(calls).toHaveLength(2);
    await clock.advance(1);
    expect(calls).toHaveLength(3);
  });

  it('does not double a poll already in flight', async () => {
    const pending: Array<() => void> = [];
    const { poller, clock, calls } = startPoller(
      () => new Promise((resolve) => pending.push(() => resolve({ active: false }))),
    );
    poller.add('jenkins');
    await clock.advance(500);
    expect(poller.pollNow('jenkins')).toBe(false);
    pending.shift()?.();
    await flushPromises();
    expect(calls).toHaveLength(1);
    expect(poller.pollNow('unknown-source')).toBe(false);
  });

  it('waits for a free slot when every slot is busy', async () => {
    const pending: Array<() => void> = [];
    const { poller, clock, callsOf } = startPoller(
      (key) =>
        key === 'slow'
          ? new Promise((resolve) => pending.push(() => resolve({ active: false })))
          : Promise.resolve({ active: false }),
      { config: { maxConcurrentPolls: 1 }, random: () => 0 },
    );
    poller.add('other');
    await clock.advance(0);
    poller.add('slow');
    await clock.advance(10_000);
    expect(callsOf('other')).toHaveLength(1);
    expect(callsOf('slow')).toHaveLength(1);

    expect(poller.pollNow('other')).toBe(true);
    await flushPromises();
    expect(callsOf('other')).toHaveLength(1);

    pending.shift()?.();
    await flushPromises();
    expect(callsOf('other')).toHaveLength(2);
  });

  it('never polls faster than a source says its shared budget allows', async () => {
    const harness = startPoller(async () => ({ active: true, minimumDelayMs: 12_000 }));
    harness.poller.add('buildkite');
    await harness.clock.advance(61_000);
    expect(new Set(harness.gapsOf('buildkite'))).toEqual(new Set([12_000]));
  });
});
