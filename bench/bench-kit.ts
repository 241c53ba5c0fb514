/**
 * What every benchmark reports: a measured figure and a baseline measured in the same run, so
 * that the ratio means something on a shared, noisy machine where absolute times do not.
 */
export interface BenchResult {
  name: string;
  baseline: { label: string; milliseconds: number };
  measured: { label: string; milliseconds: number };
  /** measured / baseline. */
  ratio: number;
  /** The ratio the product promises not to exceed, when there is one. */
  goal: number | null;
  note: string;
  /** What `milliseconds` counts when it is not time, e.g. "points" (rate-limit points). */
  unit?: string;
}

/** Median time of `runs` calls of `work` (after one warm-up), in milliseconds. */
export function medianTime(work: () => void, runs = 7): number {
  work();
  const times: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((left, right) => left - right);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/** Builds a result from two timings. */
export function compare(
  name: string,
  baseline: { label: string; milliseconds: number },
  measured: { label: string; milliseconds: number },
  goal: number | null,
  note: string,
): BenchResult {
  const ratio =
    baseline.milliseconds > 0 ? measured.milliseconds / baseline.milliseconds : Number.NaN;
  return { name, baseline, measured, ratio, goal, note };
}
