import { afterEach, describe, expect, it } from 'vitest';
import { startPoller, stopAllPollers, untilAborted } from './poller-harness';

afterEach(stopAllPollers);

describe('removing sources and stopping', () => {
  it('stops polling a removed source and aborts its poll in flight', async () => {
    const harness = startPoller((key, signal) =>
      key === 'old' ? untilAborted(key, signal) : Promise.resolve({ active: true }),
    );
    harness.poller.add('old');
    harness.poller.add('kept');
    await harness.clock.advance(500);
    const [oldCall] = harness.callsOf('old');

    harness.poller.remove('old');
    expect(oldCall?.signal.aborted).toBe(true);
    expect(harness.poller.health('old')).toBeUndefined();
    const healthCountOfOld = harness.healthLog.filter(({ key }) => key === 'old').length;

    await harness.clock.advance(5 * 60 * 1000);
    expect(harness.callsOf('old')).toHaveLength(1);
    expect(harness.callsOf('kept').length).toBeGreaterThan(50);
    expect(harness.healthLog.filter(({ key }) => key === 'old')).toHaveLength(healthCountOfOld);
  });

  it('stop() during a poll aborts it, resolves, and no poll follows', async () => {
    const harness = startPoller(untilAborted);
    harness.poller.add('github');
    harness.poller.add('gitlab');
    await harness.clock.advance(500);
    expect(harness.calls).toHaveLength(2);

    const stopping = harness.poller.stop();
    expect(harness.calls.every((call) => call.signal.aborted)).toBe(true);
    await expect(stopping).resolves.toBeUndefined();
    expect(harness.poller.stop()).toBe(stopping);

    await harness.clock.advance(60 * 60 * 1000);
    expect(harness.calls).toHaveLength(2);
    expect(harness.clock.pendingTimers).toBe(0);
    expect(harness.poller.health('github')?.state).toBe('pending');
    expect(harness.poller.pollNow('github')).toBe(false);
  });

  it('stop() while polls wait for a slot: none of them starts', async () => {
    const harness = startPoller(untilAborted, { config: { maxConcurrentPolls: 1 } });
    ['first', 'second', 'third'].forEach((key) => harness.poller.add(key));
    await harness.clock.advance(500);
    expect(harness.calls.map((call) => call.key)).toEqual(['first']);

    await harness.poller.stop();
    await harness.clock.advance(60 * 60 * 1000);
    expect(harness.calls.map((call) => call.key)).toEqual(['first']);
  });

  it('a poll that finishes just as stop() begins schedules nothing and reports nothing', async () => {
    const pending: Array<() => void> = [];
    const harness = startPoller(
      () => new Promise((resolve) => pending.push(() => resolve({ active: true }))),
    );
    harness.poller.add('gitlab');
    await harness.clock.advance(500);
    const healthBefore = harness.healthLog.length;

    pending.shift()?.();
    await harness.poller.stop();
    expect(harness.clock.pendingTimers).toBe(0);
    expect(harness.healthLog).toHaveLength(healthBefore);
  });

  it('stop() gives a poll that ignores its signal a grace period, then resolves', async () => {
    const harness = startPoller(() => new Promise(() => {}));
    harness.poller.add('deaf');
    await harness.clock.advance(500);

    let stopped = false;
    void harness.poller.stop().then(() => {
      stopped = true;
    });
    await harness.clock.advance(4999);
    expect(stopped).toBe(false);
    await harness.clock.advance(1);
    expect(stopped).toBe(true);
  });

  it('ignores sources added after stop()', async () => {
    const { poller, clock, calls } = startPoller(async () => ({ active: true }));
    await poller.stop();
    poller.add('late');
    await clock.advance(10_000);
    expect(calls).toHaveLength(0);
    expect(poller.health('late')).toBeUndefined();
  });
});
