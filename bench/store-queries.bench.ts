import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildSnapshot } from '../src/main/sources/source';
import { openStore, type Store } from '../src/main/store/store';
import { compare, medianTime, type BenchResult } from './bench-kit';

const PIPELINES = 10;
const STAGES = 10;
/** `PIPEWATCH_BENCH_FULL=1` grows the large history to 1M stage rows (takes a few minutes). */
const LARGE_BUILDS_PER_PIPELINE = process.env['PIPEWATCH_BENCH_FULL'] ? 10_000 : 2000;
/** Enough that every query below fills its page in both histories: equal work per answer. */
const SMALL_BUILDS_PER_PIPELINE = 150;
const PAGE = 20;

function build(pipeline: number, number: number, total: number): BuildSnapshot {
  const failedAt = number % 7 === 0 && number !== total ? number % STAGES : -1;
  // Only the newest build of each pipeline waits: the inbox holds the same gates in both histories.
  const waiting = number === total;
  return {
    pipelineExternalId: `p${pipeline}`,
    externalId: String(number),
    number,
    attempt: 1,
    status: failedAt >= 0 ? 'failed' : waiting ? 'waiting' : 'success',
    branch: number % 3 === 0 ? 'release' : 'main',
    commitSha: null,
    commitMessage: null,
    author: 'alice',
    trigger: 'push',
    createdAt: new Date(Date.UTC(2026, 0, 1) + number * 60_000).toISOString(),
    startedAt: null,
    finishedAt: null,
    webUrl: null,
    gates: waiting
      ? [
          {
            externalId: 'production',
            stageExternalId: null,
            name: 'production',
            environment: 'production',
            state: 'waiting',
            canDecide: true,
            approvers: [],
            waitingSince: new Date(Date.UTC(2026, 0, 1) + number * 60_000).toISOString(),
            expiresAt: null,
            decidedBy: null,
            decidedAt: null,
            comment: null,
            fields: [],
            detail: null,
          },
        ]
      : [],
    stages: Array.from({ length: STAGES }, (_, position) => ({
      externalId: `s${position}`,
      name: `stage-${position}`,
      position,
      status:
        position === failedAt
          ? 'failed'
          : failedAt >= 0 && position > failedAt
            ? 'blocked'
            : 'success',
      startedAt: null,
      finishedAt: null,
      webUrl: null,
      isGate: false,
      hasLog: false,
      needs: position === 0 ? [] : [`s${position - 1}`],
      steps: [],
    })),
  };
}

function fill(store: Store, buildsPerPipeline: number): void {
  const sourceId = store.upsertSource({
    key: 'bench',
    kind: 'demo',
    name: 'Bench',
    baseUrl: null,
    isDemo: false,
  });
  const pipelines = Array.from({ length: PIPELINES }, (_, index) => ({
    externalId: `p${index}`,
    name: `Pipeline ${index}`,
    webUrl: null,
  }));
  for (let first = 1; first <= buildsPerPipeline; first += 100) {
    const builds: BuildSnapshot[] = [];
    for (let pipeline = 0; pipeline < PIPELINES; pipeline += 1) {
      for (let number = first; number < first + 100 && number <= buildsPerPipeline; number += 1) {
        builds.push(build(pipeline, number, buildsPerPipeline));
      }
    }
    store.applySnapshot(sourceId, { pipelines, builds }, `fill-${first}`);
  }
}

function timeQueries(store: Store): Record<string, number> {
  return {
    dashboard: medianTime(() => store.listPipelineSummaries(5)),
    'build list (matrix page)': medianTime(() => store.listBuilds({ pipelineId: 1, limit: PAGE })),
    'build list filtered by status': medianTime(() =>
      store.listBuilds({ pipelineId: 1, limit: PAGE, status: 'failed' }),
    ),
    inbox: medianTime(() => store.listInbox()),
  };
}

/**
 * The queries people wait on (dashboard, matrix page, inbox) as the history grows: their time
 * at a large history against a small one should stay near flat (indexes, bounded pages).
 */
export async function run(): Promise<BenchResult[]> {
  const folder = mkdtempSync(join(tmpdir(), 'pipewatch-bench-queries-'));
  try {
    const small = openStore(join(folder, 'small.db'));
    fill(small, SMALL_BUILDS_PER_PIPELINE);
    const large = openStore(join(folder, 'large.db'));
    fill(large, LARGE_BUILDS_PER_PIPELINE);
    const smallTimes = timeQueries(small);
    const largeTimes = timeQueries(large);
    small.close();
    large.close();
    const smallRows = PIPELINES * SMALL_BUILDS_PER_PIPELINE * STAGES;
    const largeRows = PIPELINES * LARGE_BUILDS_PER_PIPELINE * STAGES;
    return Object.keys(smallTimes).map((query) =>
      compare(
        `query: ${query}, ${largeRows.toLocaleString('en')} vs ${smallRows.toLocaleString('en')} stage rows`,
        { label: `${smallRows} stage rows`, milliseconds: smallTimes[query] ?? 0 },
        { label: `${largeRows} stage rows`, milliseconds: largeTimes[query] ?? 0 },
        2,
        'Indexed and paged: the time should not grow with history.',
      ),
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
