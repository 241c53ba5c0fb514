import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareWithLastGreen } from '../../src/main/logs/compare-log';
import { createEagerLogFetcher, failedLogKeys } from '../../src/main/logs/eager-fetch';
import { createLogIndexer, type LogIndexer } from '../../src/main/logs/log-indexer';
import { linesOf, searchPipelineLogs, toFtsQuery } from '../../src/main/logs/log-search';
import { openLog, readStepLog, type LogDependencies } from '../../src/main/logs/step-log';
import {
  SourceError,
  logFromPieces,
  type CiSource,
  type LogRef,
} from '../../src/main/sources/source';
import { openDatabase } from '../../src/main/store/db';
import { Store, type ChangeSet } from '../../src/main/store/store';
import { CHUNK_LINES } from '../../src/shared/log/parse-log';
import type { Status } from '../../src/shared/status';
import {
  ALL_PASSED,
  FAILED_PERFORMANCE,
  catalogBuild,
  catalogSnapshot,
  temporaryFolder,
} from './fixtures/store-factories';

let folder: ReturnType<typeof temporaryFolder>;
let db: Database;
let store: Store;
let sourceId: number;
let clock: number;
let indexer: LogIndexer;

const tick = (): Date => {
  clock += 1000;
  return new Date(clock);
};

beforeEach(() => {
  folder = temporaryFolder();
  db = openDatabase(join(folder.path, 'pipewatch.db'));
  clock = Date.UTC(2024, 4, 1, 12);
  store = new Store(db, { now: tick });
  sourceId = store.upsertSource({
    key: 'ci',
    kind: 'demo',
    name: 'CI',
    baseUrl: null,
    isDemo: false,
  });
  indexer = createLogIndexer({ store, yieldControl: () => Promise.resolve() });
});
afterEach(async () => {
  await indexer.stop();
  store.close();
  folder.cleanup();
});

/** Writes builds and returns the ChangeSet of that poll. */
function poll(builds: Array<[number, Status[]]>, pollId = `poll-${clock}`): ChangeSet {
  return store.applySnapshot(
    sourceId,
    catalogSnapshot(builds.map(([number, statuses]) => catalogBuild(number, statuses))),
    pollId,
  );
}

function buildIdOf(number: number): number {
  const build = store
    .listBuilds({ pipelineId: pipelineId(), limit: 100 })
    .find((candidate) => candidate.number === number);
  if (!build) throw new Error(`no build ${number}`);
  return build.id;
}

function pipelineId(): number {
  const pipeline = store.listPipelineSummaries(1)[0];
  if (!pipeline) throw new Error('no pipeline');
  return pipeline.id;
}

/** The "run" step (the one that fails) of a stage of a build. */
function runStep(number: number, stage: string): { stageId: number; stepId: number } {
  const detail = store.getBuildDetail(buildIdOf(number));
  const found = detail?.stages.find((candidate) => candidate.externalId === stage);
  const step = found?.steps.find((candidate) => candidate.externalId === `${stage}-run`);
  if (!found || !step) throw new Error(`no ${stage} in build ${number}`);
  return { stageId: found.id, stepId: step.id };
}

/** A source whose logs are given per `run-N/step` and which counts its fetches. */
function fakeSource(logs: Record<string, string>) {
  const fetched: string[] = [];
  const source = {
    kind: 'demo',
    capabilities: [],
    poll: () => Promise.reject(new Error('not polled here')),
    readGate: () => Promise.reject(new Error('no gates')),
    decideGate: () => Promise.reject(new Error('no gates')),
    async fetchLog(ref: LogRef) {
      const key = `${ref.buildExternalId}/${ref.stepExternalId}`;
      fetched.push(key);
      const text = logs[key];
      if (text === undefined) throw new SourceError('not-found', `no log ${key}`);
      return { text, complete: true };
    },
  } satisfies CiSource;
  return { source, fetched };
}

function dependencies(source: CiSource): LogDependencies {
  return { store, sourceFor: () => source, now: () => new Date(clock), indexer };
}

const GREEN_LOG = [
  '2024-05-01T10:00:00.0000000Z ##[group]Run k6 run perf/catalog-load.js',
  '2024-05-01T10:00:00.1000000Z ##[endgroup]',
  '2024-05-01T10:00:01.0000000Z sample vu=1 iter=1 GET /catalog/items status=200 duration=41.2ms',
  '2024-05-01T10:00:02.0000000Z sample vu=2 iter=2 GET /catalog/items status=200 duration=38.9ms',
  '2024-05-01T10:00:03.0000000Z checks 100.00%',
].join('\n');

const RED_LOG = [
  '2024-05-02T10:00:00.0000000Z ##[group]Run k6 run perf/catalog-load.js',
  '2024-05-02T10:00:00.1000000Z ##[endgroup]',
  '2024-05-02T10:00:01.0000000Z sample vu=7 iter=9 GET /catalog/items status=200 duration=241.5ms',
  '2024-05-02T10:00:02.0000000Z \u001b[31mWARN request failed: read ECONNRESET\u001b[0m',
  '2024-05-02T10:00:03.0000000Z checks 99.80%',
  '2024-05-02T10:00:04.0000000Z ##[error]Process completed with exit code 1.',
].join('\n');

describe('the log index (migration 003)', () => {
  it('runs on a SQLite with FTS5', () => {
    const row = db.prepare("SELECT sqlite_compileoption_used('ENABLE_FTS5') AS fts5").get() as {
      fts5: number;
    };
    expect(row.fts5).toBe(1);
  });

  it('answers "when did ECONNRESET first appear?" with the first build and line', async () => {
    poll([
      [120, ALL_PASSED],
      [121, FAILED_PERFORMANCE],
      [122, FAILED_PERFORMANCE],
    ]);
    store.putLog(runStep(120, 'performance-tests').stepId, GREEN_LOG, true);
    store.putLog(runStep(121, 'performance-tests').stepId, RED_LOG, true);
    store.putLog(runStep(122, 'performance-tests').stepId, RED_LOG, true);
    indexer.resume();
    await indexer.idle();

    const search = (query: string, order: 'oldest' | 'newest', limit: number) =>
      searchPipelineLogs(store, { pipelineId: pipelineId(), query, order, limit });
    const { hits } = search('econnreset', 'oldest', 10);
    expect(
      hits.map((hit) => [hit.buildNumber, hit.stageName, hit.stepName, hit.lineNumber]),
    ).toEqual([
      [121, 'performance-tests', 'run performance-tests', 4],
      [122, 'performance-tests', 'run performance-tests', 4],
    ]);
    expect(hits[0]?.line).toBe('WARN request failed: read ECONNRESET');
    const newest = search('read ECONNRESET', 'newest', 1);
    expect(newest.hits.map((hit) => hit.buildNumber)).toEqual([122]);
    // The limit cut the list: the count still says how many logs match.
    expect(newest.logsMatched).toBe(2);
    expect(search('ENOTFOUND', 'oldest', 5)).toEqual({
      words: ['ENOTFOUND'],
      hits: [],
      logsMatched: 0,
      logsSearched: 3,
      logsRunning: 0,
      logsWaiting: 0,
      buildsKept: 3,
      buildsWithoutLogs: 0,
      searchedBuilds: { oldest: 120, newest: 122 },
    });
  });

  it('says how much it searched: logs still running, not indexed yet, builds without a log', async () => {
    poll([
      [120, ALL_PASSED],
      [121, FAILED_PERFORMANCE],
      [122, FAILED_PERFORMANCE],
      [123, FAILED_PERFORMANCE],
      [124, FAILED_PERFORMANCE],
    ]);
    const search = () =>
      searchPipelineLogs(store, {
        pipelineId: pipelineId(),
        query: 'connect: ECONNRESET!',
        order: 'oldest',
        limit: 10,
      });
    // Nothing stored yet: nothing could be searched, and the result says so.
    expect(search()).toMatchObject({
      words: ['connect', 'ECONNRESET'],
      hits: [],
      logsSearched: 0,
      buildsKept: 5,
      buildsWithoutLogs: 5,
      searchedBuilds: null,
    });

    store.putLog(runStep(121, 'performance-tests').stepId, RED_LOG, true);
    store.putLog(runStep(122, 'performance-tests').stepId, RED_LOG, true);
    indexer.resume();
    await indexer.idle();
    // Stored after the indexer ran: one complete log waiting, one still being written.
    store.putLog(runStep(123, 'performance-tests').stepId, RED_LOG, true);
    store.putLog(runStep(124, 'performance-tests').stepId, RED_LOG.slice(0, 80), false);
    expect(search()).toMatchObject({
      logsMatched: 0,
      logsSearched: 2,
      logsWaiting: 1,
      logsRunning: 1,
      buildsKept: 5,
      buildsWithoutLogs: 1,
      searchedBuilds: { oldest: 121, newest: 122 },
    });

    indexer.resume();
    await indexer.idle();
    const after = search();
    expect(after).toMatchObject({ logsSearched: 3, logsWaiting: 0, logsRunning: 1 });
    expect(after.searchedBuilds).toEqual({ oldest: 121, newest: 123 });

    // A complete log of blank lines has no index rows, yet it was searched.
    store.putLog(runStep(120, 'performance-tests').stepId, '\n\n  \n', true);
    indexer.resume();
    await indexer.idle();
    expect(search()).toMatchObject({ logsSearched: 4, logsWaiting: 0, buildsWithoutLogs: 0 });
  });

  it('quotes what people type, so FTS5 syntax cannot break the query', () => {
    expect(toFtsQuery('connect "ECONNRESET" AND* x:y')).toBe(
      '"connect" "ECONNRESET" "AND" "x" "y"',
    );
    expect(toFtsQuery('*** ::')).toBeNull();
    expect(linesOf('a\nb\nc\nd', 1, 2)).toBe('b\nc');
    expect(linesOf('a\nb', 5, 2)).toBe('');
  });

  it('indexes a log once it is complete, and forgets the index when the log is replaced or pruned', async () => {
    poll([[121, FAILED_PERFORMANCE]]);
    const { stageId, stepId } = runStep(121, 'performance-tests');
    store.putLog(stepId, RED_LOG, true);
    indexer.enqueue({ stageId, stepId }, RED_LOG);
    await indexer.idle();
    const chunks = () =>
      (db.prepare('SELECT COUNT(*) AS n FROM log_index_chunks').get() as { n: number }).n;
    const indexed = () =>
      (
        db
          .prepare("SELECT COUNT(*) AS n FROM log_index WHERE log_index MATCH 'ECONNRESET'")
          .get() as { n: number }
      ).n;
    expect(chunks()).toBe(1);
    expect(indexed()).toBe(1);
    expect(store.getLogInfo({ stageId, stepId })).toMatchObject({ complete: true, indexed: true });

    store.putLog(stepId, GREEN_LOG, true);
    expect(chunks()).toBe(0);
    expect(indexed()).toBe(0);
    expect(store.logsToIndex(10)).toEqual([{ stageId, stepId }]);

    indexer.resume();
    await indexer.idle();
    expect(chunks()).toBe(1);
    expect(store.pruneBuilds(0)).toBe(1);
    expect(chunks()).toBe(0);
    expect(
      (
        db.prepare("SELECT COUNT(*) AS n FROM log_index WHERE log_index MATCH 'checks'").get() as {
          n: number;
        }
      ).n,
    ).toBe(0);
  });
});

describe('a big log that comes in pieces', () => {
  it('is stored as it came and indexed block by block, each line once', async () => {
    poll([[121, FAILED_PERFORMANCE]]);
    const key = runStep(121, 'performance-tests');
    // Exactly three chunks of lines, so that the last block ends on a chunk boundary.
    const lines = Array.from({ length: CHUNK_LINES * 3 }, (_, index) =>
      index === CHUNK_LINES * 2 + 5 ? 'read ECONNRESET from 10.0.0.7' : `sample ${index} ok`,
    );
    const text = `${lines.join('\n')}\n`;
    const pieces = text.match(/[\s\S]{1,5000}/g) ?? [];
    let joined = false;
    const source = {
      ...fakeSource({}).source,
      async fetchLog() {
        const log = logFromPieces(pieces, true);
        return {
          pieces: log.pieces,
          complete: log.complete,
          get text(): string {
            joined = true;
            return log.text;
          },
        };
      },
    } satisfies CiSource;
    const head = await openLog(key, dependencies(source));
    expect(head.blocks).toBeGreaterThan(1);
    expect(store.getLog(key.stepId)?.text).toBe(text);
    await indexer.idle();
    // Stored and indexed without joining the pieces into one string.
    expect(joined).toBe(false);
    expect(store.getLogInfo(key)?.indexed).toBe(true);
    const rows = db
      .prepare('SELECT first_line AS firstLine, line_count AS lineCount FROM log_index_chunks')
      .all() as Array<{ firstLine: number; lineCount: number }>;
    expect(rows.reduce((sum, row) => sum + row.lineCount, 0)).toBe(CHUNK_LINES * 3);
    expect(new Set(rows.map((row) => row.firstLine)).size).toBe(rows.length);
    const result = searchPipelineLogs(store, {
      pipelineId: pipelineId(),
      query: 'ECONNRESET',
      order: 'oldest',
      limit: 10,
    });
    expect(result.hits.map((hit) => hit.lineNumber)).toEqual([CHUNK_LINES * 2 + 6]);
  });
});

describe('the log budget', () => {
  it('evicts the oldest logs first until the rest fit, keeping newer ones past any retention', () => {
    poll([
      [120, FAILED_PERFORMANCE],
      [121, FAILED_PERFORMANCE],
      [122, FAILED_PERFORMANCE],
    ]);
    const noise = (seed: number): string =>
      Array.from(
        { length: 4000 },
        (_, index) => `${seed}-${(index * 7919 + seed) % 104729} ${Math.sin(index * seed)}`,
      ).join('\n');
    const steps = [120, 121, 122].map((number) => runStep(number, 'performance-tests'));
    for (const [index, step] of steps.entries()) store.putLog(step.stepId, noise(index + 1), true);
    const total = store.logStorageBytes();
    const third = total / 3;
    expect(total).toBeGreaterThan(10_000);

    expect(store.evictLogsOverBudget(total)).toEqual({ evicted: 0, freedBytes: 0 });
    const result = store.evictLogsOverBudget(Math.ceil(third * 2.2));
    expect(result.evicted).toBe(1);
    expect(store.getLog(steps[0]?.stepId ?? 0)).toBeNull();
    expect(store.getLog(steps[1]?.stepId ?? 0)).not.toBeNull();
    expect(store.getLog(steps[2]?.stepId ?? 0)).not.toBeNull();
    expect(store.logStorageBytes()).toBeLessThanOrEqual(Math.ceil(third * 2.2));

    store.evictLogsOverBudget(0);
    expect(store.logStorageBytes()).toBe(0);
  });

  it('applies the budget whenever a fetched log is stored', async () => {
    poll([
      [120, FAILED_PERFORMANCE],
      [121, FAILED_PERFORMANCE],
    ]);
    const { source } = fakeSource({
      'run-120/performance-tests-run': RED_LOG,
      'run-121/performance-tests-run': RED_LOG,
    });
    const deps = { ...dependencies(source), logBudgetBytes: 1 };
    const older = runStep(120, 'performance-tests');
    await readStepLog(older.stepId, deps);
    // One log alone is over a 1-byte budget: even the newest goes, the reader still gets its text.
    const read = await readStepLog(runStep(121, 'performance-tests').stepId, deps);
    expect(read.text).toBe(RED_LOG);
    expect(store.getLog(older.stepId)).toBeNull();
  });
});

describe('eager fetching of failed logs', () => {
  it('fetches the failing step of a failed stage as soon as a poll sees the failure', async () => {
    const { source, fetched } = fakeSource({ 'run-121/performance-tests-run': RED_LOG });
    const fetcher = createEagerLogFetcher(dependencies(source));
    const changes = poll([
      [120, ALL_PASSED],
      [121, FAILED_PERFORMANCE],
    ]);
    fetcher.onChanges(changes);
    // onChanges only queues: the poll is not held up by the fetch.
    expect(store.getLog(runStep(121, 'performance-tests').stepId)).toBeNull();
    await fetcher.idle();
    expect(fetched).toEqual(['run-121/performance-tests-run']);
    expect(store.getLog(runStep(121, 'performance-tests').stepId)?.text).toBe(RED_LOG);

    fetcher.onChanges(changes);
    await fetcher.idle();
    expect(fetched).toHaveLength(1);
    await indexer.idle();
    expect(store.getLogInfo(runStep(121, 'performance-tests'))?.indexed).toBe(true);
    await fetcher.stop();
  });

  it('reports a log that cannot be fetched and goes on with the next', async () => {
    const { source, fetched } = fakeSource({ 'run-122/unit-tests-run': 'FAIL x' });
    const messages: string[] = [];
    const fetcher = createEagerLogFetcher({
      ...dependencies(source),
      log: (line) => messages.push(line),
    });
    fetcher.onChanges(
      poll([
        [121, FAILED_PERFORMANCE],
        [122, ['success', 'failed']],
      ]),
    );
    await fetcher.idle();
    expect(fetched).toEqual(['run-121/performance-tests-run', 'run-122/unit-tests-run']);
    expect(messages).toEqual([expect.stringMatching(/could not be fetched: no log run-121/)]);
    await fetcher.stop();
  });

  it('chooses a failed stage whole log over its steps', () => {
    poll([[121, FAILED_PERFORMANCE]]);
    const detail = store.getBuildDetail(buildIdOf(121));
    if (!detail) throw new Error('no detail');
    const failed = runStep(121, 'performance-tests');
    expect(failedLogKeys(detail)).toEqual([failed]);
    const withStageLog = {
      ...detail,
      stages: detail.stages.map((stage) =>
        stage.id === failed.stageId ? { ...stage, hasLog: true } : stage,
      ),
    };
    expect(failedLogKeys(withStageLog)).toEqual([{ stageId: failed.stageId, stepId: null }]);
  });
});

describe('compare with the last green build', () => {
  it('highlights the lines the green build did not print, ignoring numbers that change every run', async () => {
    poll([
      [119, ALL_PASSED],
      [120, FAILED_PERFORMANCE],
      [121, FAILED_PERFORMANCE],
    ]);
    const { source } = fakeSource({
      'run-119/performance-tests-run': GREEN_LOG,
      'run-121/performance-tests-run': RED_LOG,
    });
    const comparison = await compareWithLastGreen(
      runStep(121, 'performance-tests'),
      dependencies(source),
    );
    expect(comparison.baseline).toMatchObject({
      buildNumber: 119,
      stepId: runStep(119, 'performance-tests').stepId,
    });
    expect(comparison.lineCount).toBe(6);
    // Lines 3 and 5 differ from the green log only in numbers; 4 and 6 are new.
    expect(comparison.newLines).toEqual([4, 6]);
    expect(comparison.note).toBeNull();
  });

  it('says so when no earlier build passed the stage', async () => {
    poll([[121, FAILED_PERFORMANCE]]);
    const { source } = fakeSource({ 'run-121/performance-tests-run': RED_LOG });
    const comparison = await compareWithLastGreen(
      runStep(121, 'performance-tests'),
      dependencies(source),
    );
    expect(comparison).toMatchObject({
      baseline: null,
      newLines: [],
      note: expect.stringMatching(/No earlier build/),
    });
  });
});
