import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pollingConfigSchema, type PollingConfig } from '../../src/shared/config';
import type { SourceHealth } from '../../src/shared/model';
import { SourceError, type SourceErrorKind } from '../../src/main/sources/source';
import {
  formatClockTime,
  formatDuration,
  healthAfter,
  initialHealth,
  nextDelay,
  type PollOutcome,
} from '../../src/main/poller/schedule';

/** The defaults: active 5 s, idle 60 s, backoff up to 900 s. */
const config: PollingConfig = pollingConfigSchema.parse({});
const middle = () => 0.5;
const lowest = () => 0;
const highest = () => 1;
const now = Date.UTC(2025, 0, 6, 14, 0, 0);

function delayAfter(
  outcome: PollOutcome,
  options: { hidden?: boolean; random?: () => number; config?: Partial<PollingConfig> } = {},
): number {
  return nextDelay({
    outcome,
    config: { ...config, ...options.config },
    hidden: options.hidden ?? false,
    random: options.random ?? middle,
  });
}

function failure(error: Error, consecutiveFailures = 1): PollOutcome {
  return { kind: 'error', error, consecutiveFailures, now };
}

describe('how long to wait after a good poll', () => {
  it('polls every 5 s while a build runs and every 60 s while nothing moves', () => {
    expect(delayAfter({ kind: 'ok', active: true })).toBe(5000);
    expect(delayAfter({ kind: 'ok', active: false })).toBe(60_000);
  });

  it('skews every delay by at most 10 % so clients do not poll in step', () => {
    expect(delayAfter({ kind: 'ok', active: false }, { random: lowest })).toBe(54_000);
    expect(delayAfter({ kind: 'ok', active: false }, { random: highest })).toBe(66_000);
    fc.assert(
      fc.property(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), (active, value) => {
        const delay = delayAfter({ kind: 'ok', active }, { random: () => value });
        const base = active ? 5000 : 60_000;
        return delay >= base * 0.9 && delay <= base * 1.1;
      }),
    );
  });

  it('polls three times slower while active and four times slower while idle when hidden', () => {
    expect(delayAfter({ kind: 'ok', active: true }, { hidden: true })).toBe(15_000);
    expect(delayAfter({ kind: 'ok', active: false }, { hidden: true })).toBe(240_000);
  });

  it('never stretches a hidden delay past 15 minutes, nor below the visible one', () => {
    const idleTenMinutes = { idleIntervalSeconds: 600 };
    expect(
      delayAfter({ kind: 'ok', active: false }, { hidden: true, config: idleTenMinutes }),
    ).toBe(900_000);
    const idleOneHour = { idleIntervalSeconds: 3600 };
    expect(delayAfter({ kind: 'ok', active: false }, { hidden: true, config: idleOneHour })).toBe(
      3_600_000,
    );
  });

  it('never polls sooner than once a second', () => {
    const delay = delayAfter(
      { kind: 'ok', active: true },
      { random: lowest, config: { activeIntervalSeconds: 1 } },
    );
    expect(delay).toBe(1000);
  });
});

describe('how long to wait after a failed poll', () => {
  const serverError = new SourceError('server', 'HTTP 502 Bad Gateway');

  it('doubles the longest wait with each failure, up to the 15-minute cap', () => {
    const longest = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((failures) =>
      delayAfter(failure(serverError, failures), { random: highest }),
    );
    expect(longest).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 900_000, 900_000, 900_000,
    ]);
  });

  it('spreads retries between the active interval and that ceiling (full jitter)', () => {
    expect(delayAfter(failure(serverError, 6), { random: lowest })).toBe(5000);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (failures, value) => {
          const delay = delayAfter(failure(serverError, failures), { random: () => value });
          const ceiling = Math.min(5000 * 2 ** failures, 900_000);
          return delay >= 5000 && delay <= ceiling;
        },
      ),
    );
  });

  it('backs off the same way after an adapter bug or an unreachable server', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'jobs')");
    expect(delayAfter(failure(bug, 3), { random: highest })).toBe(40_000);
    const unreachable = new SourceError('unreachable', 'connect ECONNREFUSED 127.0.0.1:8010');
    expect(delayAfter(failure(unreachable, 3), { random: highest })).toBe(40_000);
  });

  it('waits at least until the time the server gave in Retry-After, plus a few seconds', () => {
    const rateLimited = new SourceError('rate-limited', 'API rate limit exceeded', now + 120_000);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (value) => {
        const delay = delayAfter(failure(rateLimited), { random: () => value });
        return delay >= 120_000 && delay <= 125_000;
      }),
    );
  });

  it('keeps the longer exponential backoff when Retry-After is sooner', () => {
    const soon = new SourceError('server', 'HTTP 503', now + 2000);
    expect(delayAfter(failure(soon, 8), { random: highest })).toBe(900_000);
  });

  it('ignores a Retry-After that has already passed', () => {
    const past = new SourceError('rate-limited', 'slow down', now - 10_000);
    expect(delayAfter(failure(past, 1), { random: highest })).toBe(10_000);
  });

  it('backs off to the maximum at once when the token is rejected or lacks permission', () => {
    for (const kind of ['auth', 'forbidden'] as const) {
      const error = new SourceError(kind, 'Bad credentials');
      expect(delayAfter(failure(error, 1), { random: lowest })).toBe(900_000);
      expect(delayAfter(failure(error, 1), { random: highest })).toBeGreaterThanOrEqual(810_000);
    }
  });
});

describe('health after a poll', () => {
  const earlier = new Date(now - 60_000).toISOString();
  const previous: SourceHealth = {
    ...initialHealth(null),
    state: 'ok',
    lastPollAt: earlier,
    lastSuccessAt: earlier,
  };

  it('starts as pending with the first poll time', () => {
    expect(initialHealth(now + 500)).toEqual({
      state: 'pending',
      message: null,
      lastPollAt: null,
      lastSuccessAt: null,
      nextPollAt: new Date(now + 500).toISOString(),
      backoffUntil: null,
      consecutiveFailures: 0,
    });
  });

  it('is ok after a good poll, with the failures reset', () => {
    const failing = { ...previous, state: 'backing-off' as const, consecutiveFailures: 4 };
    expect(healthAfter(failing, { kind: 'ok', active: true }, now, now + 5000)).toEqual({
      state: 'ok',
      message: null,
      lastPollAt: new Date(now).toISOString(),
      lastSuccessAt: new Date(now).toISOString(),
      nextPollAt: new Date(now + 5000).toISOString(),
      backoffUntil: null,
      consecutiveFailures: 0,
    });
  });

  const cases: Array<[SourceErrorKind, SourceHealth['state']]> = [
    ['auth', 'auth-failed'],
    ['forbidden', 'auth-failed'],
    ['unreachable', 'unreachable'],
    ['bad-response', 'bad-response'],
    ['rate-limited', 'backing-off'],
    ['server', 'backing-off'],
    ['not-found', 'backing-off'],
  ];
  it.each(cases)('shows a %s error as %s, keeping the last success', (kind, state) => {
    const health = healthAfter(
      previous,
      failure(new SourceError(kind, 'details'), 2),
      now,
      now + 30_000,
    );
    expect(health).toMatchObject({
      state,
      lastPollAt: new Date(now).toISOString(),
      lastSuccessAt: earlier,
      nextPollAt: new Date(now + 30_000).toISOString(),
      backoffUntil: new Date(now + 30_000).toISOString(),
      consecutiveFailures: 2,
    });
    expect(health.message).toContain('(details)');
  });

  it('says in words that it is rate limited and when it tries again', () => {
    const error = new SourceError('rate-limited', 'API rate limit exceeded.', now + 310_000);
    const health = healthAfter(previous, failure(error), now, now + 310_000);
    expect(health.message).toBe(
      `Rate limited by the server (API rate limit exceeded). Next try in 5 min, at ${formatClockTime(now + 310_000)}.`,
    );
  });

  it('asks a person to check the token when it is rejected', () => {
    const error = new SourceError('auth', 'Bad credentials');
    const health = healthAfter(previous, failure(error), now, now + 900_000);
    expect(health.state).toBe('auth-failed');
    expect(health.message).toBe(
      `The server rejected the token (Bad credentials). Check the source’s token. Next try in 15 min, at ${formatClockTime(now + 900_000)}.`,
    );
  });

  it('shows an adapter bug as a bad response with its message', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'jobs')");
    const health = healthAfter(previous, failure(bug), now, now + 10_000);
    expect(health.state).toBe('bad-response');
    expect(health.message).toContain(
      "Reading this source failed unexpectedly (Cannot read properties of undefined (reading 'jobs')).",
    );
  });

  it('cuts a huge error text (an HTML error page) down to a readable length', () => {
    const error = new SourceError('server', `<html>${'x'.repeat(5000)}</html>`);
    const health = healthAfter(previous, failure(error), now, now + 10_000);
    expect(health.message?.length).toBeLessThan(320);
  });
});

describe('times in messages', () => {
  it('writes waits the way a person says them', () => {
    expect(formatDuration(400)).toBe('1 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(240_000)).toBe('4 min');
    expect(formatDuration(3_600_000)).toBe('1 h');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
  });

  it('writes clock times in local time as hh:mm:ss', () => {
    expect(formatClockTime(new Date(2025, 0, 6, 14, 5, 10).getTime())).toBe('14:05:10');
    expect(formatClockTime(new Date(2025, 0, 6, 9, 0, 3).getTime())).toBe('09:00:03');
  });
});
