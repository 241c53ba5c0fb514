import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/main/store/db';
import { Store } from '../src/main/store/store';
import { compare, medianTime, type BenchResult } from './bench-kit';
import { writeHistory } from './history-generator';

/**
 * The shape scaled to this machine: 50 pipelines × 10 stages, 20 builds each
 * (10,000 stage rows) against 2,000 builds each (1,000,000 stage rows). Every page below is full
 * in both, so both answer the same amount: only the history behind them differs.
 */
const PIPELINES = 50;
const STAGES = 10;
const SMALL_BUILDS_PER_PIPELINE = 20;
const LARGE_BUILDS_PER_PIPELINE = 2000;
const PAGE = 10;

function filled(file: string, buildsPerPipeline: number): { store: Store; fillMs: number } {
  const db = openDatabase(file);
  const started = process.hrtime.bigint();
  writeHistory(db, {
    pipelines: PIPELINES,
    buildsPerPipeline,
    stagesPerBuild: STAGES,
  });
  return { store: new Store(db), fillMs: Number(process.hrtime.bigint() - started) / 1e6 };
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
    const { store: small } = filled(join(folder, 'small.db'), SMALL_BUILDS_PER_PIPELINE);
    const { store: large, fillMs } = filled(join(folder, 'large.db'), LARGE_BUILDS_PER_PIPELINE);
    // One pass each first, so that neither side pays for warming up the code and the caches.
    timeQueries(small);
    timeQueries(large);
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
        `Indexed and paged: the time should not grow with history (the large history took ${(fillMs / 1000).toFixed(1)} s to write).`,
      ),
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
