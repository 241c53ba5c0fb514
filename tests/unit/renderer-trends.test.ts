import { describe, expect, it } from 'vitest';
import type { BuildSummary } from '../../src/shared/model';
import type { Status } from '../../src/shared/status';
import {
  leadTimeMilliseconds,
  median,
  medianLeadTime,
  sparkline,
  stageTrends,
  successRate,
} from '../../src/renderer/src/views/trends/trend-math';
import { catalogBuild } from './renderer-factories';

const S = 'success';
const F = 'failed';
const B = 'blocked';
const W = 'waiting';
const MINUTE = 60_000;

/** A Catalog build whose stages each took `stageSeconds`, as `builds/list` answers it. */
function build(number: number, statuses: readonly Status[], stageSeconds = 60): BuildSummary {
  const { build: base, stages } = catalogBuild(number, statuses, stageSeconds);
  return {
    ...base,
    id: number,
    stages: stages.map(
      ({ steps: _s, buildId: _b, webUrl: _w, needs: _n, hasLog: _h, ...rest }) => rest,
    ),
  };
}

describe('success rate', () => {
  it('is the share of settled builds that went green, a candidate waiting at the gate counting as green', () => {
    const builds = [
      build(124, [S, 'running']),
      build(123, [S, S, S, S, S, S]),
      build(122, [S, S, S, S, S, W]),
      build(121, [S, S, S, F, B, B]),
      build(120, [S, F, B, B, B, B]),
    ];
    expect(successRate(builds)).toEqual({ rate: 0.5, green: 2, settled: 4 });
  });

  it('is unknown while nothing has settled', () => {
    expect(successRate([build(1, ['running'])])).toEqual({ rate: null, green: 0, settled: 0 });
    expect(successRate([])).toEqual({ rate: null, green: 0, settled: 0 });
  });
});

describe('lead time from check-in to production', () => {
  it('runs from the check-in to the finish of the production stage when it succeeded', () => {
    expect(leadTimeMilliseconds(build(123, [S, S, S, S, S, S]))).toBe(6 * MINUTE);
    expect(leadTimeMilliseconds(build(124, [S, S, S, S, S, S], 90))).toBe(9 * MINUTE);
  });

  it('does not exist for builds that did not reach production', () => {
    expect(leadTimeMilliseconds(build(122, [S, S, S, S, S, W]))).toBeNull();
    expect(leadTimeMilliseconds(build(121, [S, S, S, F, B, B]))).toBeNull();
    expect(leadTimeMilliseconds({ ...build(1, []), stages: [] })).toBeNull();
  });

  it('takes the median over the builds that reached production', () => {
    const builds = [
      build(125, [S, S, S, S, S, S], 120),
      build(124, [S, S, S, S, S, S], 60),
      build(123, [S, S, S, S, S, S], 30),
      build(122, [S, S, S, S, S, W]),
    ];
    expect(medianLeadTime(builds)).toEqual({ milliseconds: 6 * MINUTE, count: 3 });
    expect(medianLeadTime([build(122, [S, W])])).toEqual({ milliseconds: null, count: 0 });
  });

  it('uses the mean of the middle two for an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });
});

describe('stage trends', () => {
  it('give each stage its finished durations oldest first, with median and pass rate', () => {
    const builds = [
      build(122, [S, S, S, S, S, W], 30),
      build(121, [S, S, S, F, B, B], 60),
      build(120, [S, F, B, B, B, B], 90),
    ];
    const trends = stageTrends(builds);
    expect(trends.map((trend) => trend.name)).toEqual([
      'compile',
      'fast-tests',
      'slow-tests',
      'performance-tests',
      'uat',
      'production',
    ]);
    const compile = trends[0]!;
    expect(compile.points.map((point) => point.buildNumber)).toEqual([120, 121, 122]);
    expect(compile.points.map((point) => point.milliseconds)).toEqual([90_000, 60_000, 30_000]);
    expect(compile.medianMilliseconds).toBe(60_000);
    expect(compile.passRate).toBe(1);
    const performance = trends[3]!;
    expect(performance.points.map((point) => point.status)).toEqual([F, S]);
    expect(performance.passRate).toBe(0.5);
    const production = trends[5]!;
    expect(production.isGate).toBe(true);
    expect(production.points).toEqual([]);
    expect(production.passRate).toBeNull();
  });
});

describe('sparkline', () => {
  it('spreads values left to right and scales them from zero to the largest', () => {
    const { path, points } = sparkline([10, 20, 40], 100, 20, 0);
    expect(points).toEqual([
      { x: 0, y: 15 },
      { x: 50, y: 10 },
      { x: 100, y: 0 },
    ]);
    expect(path).toBe('M0 15 L50 10 L100 0');
  });

  it('draws one value in the middle and nothing for none', () => {
    expect(sparkline([5], 100, 20, 2).points).toEqual([{ x: 50, y: 2 }]);
    expect(sparkline([], 100, 20)).toEqual({ path: '', points: [] });
    expect(sparkline([0, 0], 100, 20, 0).points.map((point) => point.y)).toEqual([20, 20]);
  });
});
