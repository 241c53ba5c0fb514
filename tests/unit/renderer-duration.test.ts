import { describe, expect, it } from 'vitest';
import {
  ageOf,
  elapsedMilliseconds,
  formatAge,
  formatCountdown,
  formatDuration,
} from '../../src/renderer/src/format/duration';

describe('durations', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [45_000, '45s'],
    [60_000, '1m00s'],
    [252_000, '4m12s'],
    [3_900_000, '1h05m'],
    [90_000_000, '1d01h'],
  ])('%i ms reads as %s', (milliseconds, text) => {
    expect(formatDuration(milliseconds)).toBe(text);
  });

  it('never shows a negative or broken duration', () => {
    expect(formatDuration(-5_000)).toBe('0s');
    expect(formatDuration(Number.NaN)).toBe('0s');
  });

  it('a running stage lasts until now; a finished one until it finished', () => {
    const now = Date.parse('2025-03-01T10:10:00Z');
    expect(elapsedMilliseconds('2025-03-01T10:00:00Z', null, now)).toBe(600_000);
    expect(elapsedMilliseconds('2025-03-01T10:00:00Z', '2025-03-01T10:04:12Z', now)).toBe(252_000);
    expect(elapsedMilliseconds(null, null, now)).toBeNull();
  });
});

describe('ages and countdowns', () => {
  it.each([
    [500, 'just now'],
    [3_000, '3s ago'],
    [59_000, '59s ago'],
    [300_000, '5m ago'],
    [7_200_000, '2h ago'],
    [172_800_000, '2d ago'],
  ])('%i ms ago reads as %s', (milliseconds, text) => {
    expect(formatAge(milliseconds)).toBe(text);
  });

  it('an unreadable timestamp has no age', () => {
    expect(ageOf('not a time', Date.now())).toBeNull();
    expect(ageOf(null, Date.now())).toBeNull();
  });

  it('counts down to the next poll', () => {
    const now = Date.parse('2025-03-01T10:00:00Z');
    expect(formatCountdown('2025-03-01T10:00:12Z', now)).toBe('in 12s');
    expect(formatCountdown('2025-03-01T10:03:00Z', now)).toBe('in 3m');
    expect(formatCountdown('2025-03-01T09:59:00Z', now)).toBe('now');
    expect(formatCountdown(null, now)).toBeNull();
  });
});
