import { style } from './log-style';
import { failureLines, failureStory } from './log-failures';
import type { Random } from './seeded-random';

/**
 * The load test's log: a k6 run that prints one line per sampled request. At 250 samples per
 * simulated second, a run that goes long (420 s and more) writes over 100,000 lines — the log
 * that shows whether the viewer stays fast. Lines go into an array joined once by the caller.
 */

export const SAMPLES_PER_SECOND = 250;
const LATENCY_BUDGET_MS = 250;
const PATHS = ['/catalog/items?page=', '/catalog/items/CAT-', '/catalog/search?q='] as const;
const SAMPLE = style.grey('sample');
const SEARCH_TERMS = ['lamp', 'chair', 'desk', 'rug', 'shelf', 'mirror', 'vase', 'sofa'] as const;

export interface LoadTestRun {
  readonly simulatedSeconds: number;
  readonly fails: boolean;
  readonly failureScenario: number;
  readonly random: Random;
}

function requestPath(random: Random): string {
  const kind = Math.floor(random() * PATHS.length);
  if (kind === 0) return `${PATHS[0]}${1 + Math.floor(random() * 40)}`;
  if (kind === 1) return `${PATHS[1]}${String(Math.floor(random() * 99_999)).padStart(5, '0')}`;
  return `${PATHS[2]}${SEARCH_TERMS[Math.floor(random() * SEARCH_TERMS.length)] ?? 'lamp'}`;
}

function percentile(sorted: Float64Array, share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
}

/** The body of the load test step's log. */
export function loadTestLines(run: LoadTestRun): string[] {
  const { random } = run;
  const samples = Math.floor(run.simulatedSeconds * SAMPLES_PER_SECOND);
  // A failing build's change made the catalog slow: latencies centre near 240 ms instead of 60.
  const typicalMs = run.fails ? 240 : 60;
  const durations = new Float64Array(samples);
  const lines: string[] = [
    style.bold('          /\\      Grafana   /‾‾/'),
    style.bold('     /\\  /  \\     |\\  __   /  /'),
    style.bold('    /  \\/    \\    | |/ /  /   ‾‾\\'),
    style.bold('   /          \\   |   (  |  (‾)  |'),
    style.bold('  / __________ \\  |_|\\_\\  \\_____/'),
    '',
    '     execution: local',
    '        script: perf/catalog-load.js',
    '        output: -',
    '',
    `     scenarios: (100.00%) 1 scenario, 200 max VUs, ${Math.ceil(run.simulatedSeconds + 30)}s max duration`,
    '              * catalog: ramping to 200 VUs over 60s, then steady (gracefulStop: 30s)',
    '',
    '##[group]Request samples',
  ];
  let failedRequests = 0;
  for (let index = 0; index < samples; index += 1) {
    const spike = random() < 0.03 ? random() * 900 : 0;
    const duration = typicalMs * (0.6 + random() * 0.8) + spike;
    durations[index] = duration;
    const status = run.fails && random() < 0.002 ? 503 : 200;
    if (status !== 200) failedRequests += 1;
    const shown = `${duration.toFixed(1)}ms`;
    lines.push(
      `${SAMPLE} vu=${1 + (index % 200)} iter=${index} GET ${requestPath(random)} ` +
        `status=${status === 200 ? status : style.red(String(status))} duration=${duration > 500 ? style.orange(shown) : shown}`,
    );
  }
  lines.push('##[endgroup]');

  const sorted = durations.slice().sort();
  const average = samples === 0 ? 0 : durations.reduce((sum, value) => sum + value, 0) / samples;
  const p95 = percentile(sorted, 0.95);
  const withinBudget = p95 < LATENCY_BUDGET_MS;
  const checkRate = samples === 0 ? 100 : ((samples - failedRequests) / samples) * 100;
  lines.push(
    '',
    `     ${withinBudget ? style.tick : style.cross} checks.........................: ${checkRate.toFixed(2)}% ${style.green(`✓ ${samples - failedRequests}`)} ${style.red(`✗ ${failedRequests}`)}`,
    `     ${withinBudget ? style.tick : style.cross} http_req_duration..............: avg=${average.toFixed(1)}ms min=${percentile(sorted, 0).toFixed(1)}ms med=${percentile(sorted, 0.5).toFixed(1)}ms max=${percentile(sorted, 1).toFixed(1)}ms p(90)=${percentile(sorted, 0.9).toFixed(1)}ms p(95)=${p95.toFixed(1)}ms`,
    `       http_reqs......................: ${samples} ${(samples / Math.max(1, run.simulatedSeconds)).toFixed(1)}/s`,
    `       vus_max........................: 200 min=200 max=200`,
    '',
    `running (${Math.floor(run.simulatedSeconds / 60)}m${String(Math.round(run.simulatedSeconds % 60)).padStart(2, '0')}s), 000/200 VUs, ${samples} complete and 0 interrupted iterations`,
  );
  if (run.fails) {
    lines.push(
      style.red(
        `ERRO[${String(Math.round(run.simulatedSeconds)).padStart(4, '0')}] thresholds on metrics 'http_req_duration' have been crossed`,
      ),
      '',
      ...failureLines(failureStory('load-test', run.failureScenario)),
    );
  }
  return lines;
}
