import type { BuildSummary, StageSummary } from '../../../../shared/model';
import type { Status } from '../../../../shared/status';
import { parseTime } from '../../format/duration';
import { isGreen } from '../matrix/first-failure';
import { matrixColumns } from '../matrix/matrix-columns';

/** What the trends need of a build. */
export type TrendBuild = Pick<BuildSummary, 'number' | 'status' | 'createdAt'> & {
  stages: readonly Pick<
    StageSummary,
    'name' | 'position' | 'status' | 'startedAt' | 'finishedAt' | 'isGate'
  >[];
};

/** Statuses after which a build will not go green by itself. */
const SETTLED_RED: readonly Status[] = ['failed', 'cancelled'];

/**
 * The share of settled builds that went green (passed, or passed every automated stage and waits
 * at a gate); builds still running or queued are left out, since they have not settled. Pure.
 */
export function successRate(builds: readonly TrendBuild[]): {
  rate: number | null;
  green: number;
  settled: number;
} {
  const green = builds.filter(isGreen).length;
  const red = builds.filter((build) => SETTLED_RED.includes(build.status)).length;
  const settled = green + red;
  return { rate: settled === 0 ? null : green / settled, green, settled };
}

/**
 * Lead time from check-in to production of one build: from its creation (the check-in) to the
 * finish of its last stage — the production deploy, usually the gate stage — when that stage
 * succeeded; null when the build did not reach production. Pure.
 */
export function leadTimeMilliseconds(build: TrendBuild): number | null {
  if (build.stages.length === 0) return null;
  const lastPosition = Math.max(...build.stages.map((stage) => stage.position));
  const last = build.stages.filter((stage) => stage.position === lastPosition);
  if (!last.every((stage) => stage.status === 'success')) return null;
  const checkedIn = parseTime(build.createdAt);
  const finishes = last.map((stage) => parseTime(stage.finishedAt));
  if (checkedIn === null || finishes.some((finish) => finish === null)) return null;
  return Math.max(0, Math.max(...(finishes as number[])) - checkedIn);
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median lead time over the builds that reached production, and how many did. Pure. */
export function medianLeadTime(builds: readonly TrendBuild[]): {
  milliseconds: number | null;
  count: number;
} {
  const times = builds.map(leadTimeMilliseconds).filter((time): time is number => time !== null);
  return { milliseconds: median(times), count: times.length };
}

/** One finished run of a stage. */
export type DurationPoint = { buildNumber: number; milliseconds: number; status: Status };

/** A stage's trend over the builds. */
export type StageTrend = {
  name: string;
  isGate: boolean;
  /** Oldest first, one per build where the stage finished. */
  points: DurationPoint[];
  medianMilliseconds: number | null;
  /** Share of finished runs that passed; null when none finished. */
  passRate: number | null;
};

/**
 * Per stage (in the matrix's column order), its durations over `builds` (newest first in,
 * oldest first out, as a sparkline reads left to right), median and pass rate. Only finished
 * runs count: a running stage has no duration yet. Gate stages' durations include the wait for
 * a person, so they are measured as well but marked. Pure.
 */
export function stageTrends(builds: readonly TrendBuild[]): StageTrend[] {
  const oldestFirst = [...builds].reverse();
  return matrixColumns(builds).map((column) => {
    const points: DurationPoint[] = [];
    let passed = 0;
    for (const build of oldestFirst) {
      const stage = build.stages.find((candidate) => candidate.name === column.name);
      if (!stage || (stage.status !== 'success' && stage.status !== 'failed')) continue;
      const start = parseTime(stage.startedAt);
      const end = parseTime(stage.finishedAt);
      if (start === null || end === null) continue;
      if (stage.status === 'success') passed += 1;
      points.push({
        buildNumber: build.number,
        milliseconds: Math.max(0, end - start),
        status: stage.status,
      });
    }
    return {
      name: column.name,
      isGate: column.isGate,
      points,
      medianMilliseconds: median(points.map((point) => point.milliseconds)),
      passRate: points.length === 0 ? null : passed / points.length,
    };
  });
}

/** Where a sparkline's points go in a `width`×`height` box. */
export type SparklineGeometry = { path: string; points: Array<{ x: number; y: number }> };

/**
 * A sparkline's polyline: values spread evenly left to right, scaled from zero (so a stage that
 * got twice as slow looks twice as tall) to the largest value. Pure.
 */
export function sparkline(
  values: readonly number[],
  width: number,
  height: number,
  padding = 2,
): SparklineGeometry {
  if (values.length === 0) return { path: '', points: [] };
  const top = Math.max(...values);
  const usableWidth = width - padding * 2;
  const usableHeight = height - padding * 2;
  const step = values.length === 1 ? 0 : usableWidth / (values.length - 1);
  const points = values.map((value, index) => ({
    x: round(values.length === 1 ? width / 2 : padding + index * step),
    y: round(padding + usableHeight - (top === 0 ? 0 : (value / top) * usableHeight)),
  }));
  const path = points
    .map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x} ${point.y}`)
    .join(' ');
  return { path, points };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
