import { afterEach, describe, expect, it, vi } from 'vitest';
import { SourceError } from '../../src/main/sources/source';
import type { RunPoll } from '../../src/main/poller/poller';
import { flushPromises } from './poller-fake-clock';
import { startPoller, stopAllPollers, untilAborted } from './poller-harness';

afterEach(async () => {
  await stopAllPollers();
  vi.restoreAllMocks();
});

describe('errors and backoff', () => {
  it('backs off exponentially while the server fails, up to 15 minutes', async () => {
    const harness = startPoller(
      async () => {
        throw new SourceError('server', 'HTTP 502 Bad Gateway');
      },
      { random: () => 1 },
    );
    harness.poller.add('jenkins');
    await harness.clock.advance(3 * 60 * 60 * 1000);

    const gaps = harness.gapsOf('jenkins');
    expect(gaps.slice(0, 9)).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 900_000, 900_000,
    ]);
    expect(Math.max(...gaps)).toBe(900_000);
    expect(harness.poller.health('jenkins')).toMatchObject({
      state: 'backing-off',
      consecutiveFailures: harness.callsOf('jenkins').length,
      lastSuccessAt: null,
    });
  });

  it('waits until the Retry-After time the server gave', async () => {
    let attempt = 0;
    const harness = startPoller(async (_key, _signal, clock) => {
      attempt += 1;
      if (attempt === 1) {
        throw new SourceError('rate-limited', 'API rate limit exceeded', clock.now() + 120_000);
      }
      return { active: false };
    });
    harness.poller.add('github');
    await harness.clock.advance(500);
    const health = harness.poller.health('github');
    expect(health?.state).toBe('backing-off');
    expect(health?.message).toMatch(/^Rate limited by the server \(API rate limit exceeded\)\./);
    expect(health?.backoffUntil).toBe(health?.nextPollAt);

    await harness.clock.advance(119_999);
    expect(harness.callsOf('github')).toHaveLength(1);
    await harness.clock.advance(5000);
    expect(harness.callsOf('github')).toHaveLength(2);
    expect(harness.gapsOf('github')[0]).toBeGreaterThanOrEqual(120_000);
    expect(harness.poller.health('github')?.state).toBe('ok');
  });

  it('shows a rejected token as auth-failed and waits the longest backoff', async () => {
    const harness = startPoller(async () => {
      throw new SourceError('auth', 'Bad credentials');
    });
    harness.poller.add('github');
    await harness.clock.advance(500);
    expect(harness.poller.health('github')).toMatchObject({
      state: 'auth-failed',
      consecutiveFailures: 1,
    });
    expect(harness.poller.health('github')?.message).toContain('Check the source’s token.');

    await harness.clock.advance(800_000);
    expect(harness.callsOf('github')).toHaveLength(1);
    await harness.clock.advance(100_000);
    expect(harness.callsOf('github')).toHaveLength(2);
    expect(harness.gapsOf('github')[0]).toBeGreaterThanOrEqual(810_000);
  });

  it('recovers to ok with the failure count reset once the server answers again', async () => {
    let attempt = 0;
    const harness = startPoller(async () => {
      attempt += 1;
      if (attempt <= 3) throw new SourceError('unreachable', 'connect ECONNREFUSED');
      return { active: true };
    });
    harness.poller.add('buildbot');
    await harness.clock.advance(10 * 60 * 1000);

    const states = harness.healthLog.map(({ health }) => [
      health.state,
      health.consecutiveFailures,
    ]);
    expect(states.slice(0, 5)).toEqual([
      ['pending', 0],
      ['unreachable', 1],
      ['unreachable', 2],
      ['unreachable', 3],
      ['ok', 0],
    ]);
    const recovered = harness.healthLog[4]?.health;
    expect(recovered?.message).toBeNull();
    expect(recovered?.backoffUntil).toBeNull();
    expect(recovered?.lastSuccessAt).toBe(recovered?.lastPollAt);
    expect(harness.gapsOf('buildbot').slice(3, 6)).toEqual([5000, 5000, 5000]);
  });

  it('turns any exception into health and keeps polling', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let attempt = 0;
      const harness = startPoller(((key: string) => {
        attempt += 1;
        if (attempt === 1) throw new TypeError(`Cannot read properties of undefined (${key})`);
        return Promise.reject('a string, not an Error');
      }) as RunPoll);
      harness.poller.add('demo');
      await harness.clock.advance(500);
      expect(harness.poller.health('demo')).toMatchObject({ state: 'bad-response' });
      expect(harness.poller.health('demo')?.message).toContain(
        'Cannot read properties of undefined (demo)',
      );

      await harness.clock.advance(60_000);
      expect(harness.callsOf('demo').length).toBeGreaterThan(1);
      expect(harness.poller.health('demo')?.message).toContain('a string, not an Error');
      await flushPromises();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('keeps polling when the health listener throws', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const harness = startPoller(async () => ({ active: true }), {
      onHealth: () => {
        throw new Error('listener bug');
      },
    });
    harness.poller.add('demo');
    await harness.clock.advance(20_500);
    expect(harness.callsOf('demo')).toHaveLength(5);
    expect(consoleError).toHaveBeenCalled();
  });

  it('aborts a hanging poll after 60 s, reports unreachable and frees its slot', async () => {
    const harness = startPoller(
      (key, signal) =>
        key === 'hung' ? untilAborted(key, signal) : Promise.resolve({ active: false }),
      { config: { maxConcurrentPolls: 1 } },
    );
    harness.poller.add('hung');
    harness.poller.add('fine');
    await harness.clock.advance(59_000);
    expect(harness.callsOf('fine')).toHaveLength(0);

    await harness.clock.advance(1500);
    const [hungCall] = harness.callsOf('hung');
    expect(hungCall?.signal.aborted).toBe(true);
    expect(harness.poller.health('hung')?.state).toBe('unreachable');
    expect(harness.poller.health('hung')?.message).toContain('no answer within 60 s');
    expect(harness.callsOf('fine').map((call) => call.at - hungCall!.at)).toEqual([60_000]);
  });

  it('frees the slot of a timed-out poll even when it ignores its abort signal', async () => {
    const harness = startPoller(
      (key) => (key === 'deaf' ? new Promise(() => {}) : Promise.resolve({ active: false })),
      { config: { maxConcurrentPolls: 1 }, pollTimeoutMs: 10_000 },
    );
    harness.poller.add('deaf');
    harness.poller.add('fine');
    await harness.clock.advance(10_500);
    expect(harness.poller.health('deaf')?.state).toBe('unreachable');
    expect(harness.callsOf('fine')).toHaveLength(1);
  });
});
