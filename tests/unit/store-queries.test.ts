import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { openDatabase } from '../../src/main/store/db';
import { Store } from '../../src/main/store/store';
import {
  buildDetailSchema,
  buildSchema,
  buildSummarySchema,
  gateSchema,
  inboxItemSchema,
  pipelineSchema,
  pipelineSummarySchema,
  stepSchema,
} from '../../src/shared/model';
import {
  ALL_PASSED,
  catalogBuild,
  catalogSnapshot,
  FAILED_PERFORMANCE,
  FAILED_UNIT_TESTS,
  temporaryFolder,
  WAITING_FOR_PRODUCTION,
} from './fixtures/store-factories';

let folder: ReturnType<typeof temporaryFolder>;
let store: Store;
let sourceId: number;

beforeEach(() => {
  folder = temporaryFolder();
  store = new Store(openDatabase(join(folder.path, 'pipewatch.db')));
  sourceId = store.upsertSource({
    key: 'demo',
    kind: 'demo',
    name: 'Demo CI',
    baseUrl: null,
    isDemo: true,
  });
});
afterEach(() => {
  store.close();
  folder.cleanup();
});

/**
 * The value is exactly the contract type: it parses, and parsing (which strips unknown keys)
 * gives back the same object, so no extra column leaked into it.
 */
function expectContract<T extends z.ZodType>(schema: T, value: unknown): void {
  expect(schema.parse(value)).toEqual(value);
}

/** The book's history: 120 failed the fast tests, 121 the performance tests, 122 shipped. */
function ingestCatalogHistory(): Map<number, number> {
  const changes = store.applySnapshot(
    sourceId,
    catalogSnapshot([
      catalogBuild(120, FAILED_UNIT_TESTS),
      catalogBuild(121, FAILED_PERFORMANCE),
      catalogBuild(122, ALL_PASSED),
      catalogBuild(123, WAITING_FOR_PRODUCTION, { branch: 'feature/search' }),
    ]),
    'poll-1',
  );
  const numbers = [120, 121, 122, 123];
  return new Map(changes.buildIds.map((id, index) => [numbers[index] ?? 0, id]));
}

describe('pipeline summaries', () => {
  it('show each pipeline with its newest builds first, their stages and waiting gates', () => {
    ingestCatalogHistory();

    const summaries = store.listPipelineSummaries(2);

    expect(summaries).toHaveLength(1);
    const [catalog] = summaries;
    expectContract(pipelineSummarySchema, catalog);
    expect(catalog).toMatchObject({
      name: 'Catalog',
      sourceName: 'Demo CI',
      sourceKind: 'demo',
      isDemo: true,
      waitingGates: 1,
    });
    expect(catalog?.recentBuilds.map((build) => build.number)).toEqual([123, 122]);
    expect(catalog?.recentBuilds[1]?.stages.map((stage) => stage.name)).toEqual([
      'compile',
      'unit-tests',
      'slow-tests',
      'performance-tests',
      'user-acceptance',
      'production',
    ]);
  });

  it('list a pipeline without builds with an empty history', () => {
    store.applySnapshot(sourceId, catalogSnapshot([]), 'poll-1');
    expect(store.listPipelineSummaries(5)[0]).toMatchObject({ recentBuilds: [], waitingGates: 0 });
  });
});

describe('listing builds', () => {
  beforeEach(() => {
    const builds = Array.from({ length: 30 }, (_, index) =>
      catalogBuild(index + 1, index % 3 === 0 ? FAILED_UNIT_TESTS : ALL_PASSED, {
        branch: index % 2 === 0 ? 'main' : 'release',
      }),
    );
    store.applySnapshot(sourceId, catalogSnapshot(builds), 'poll-1');
  });

  const pipelineId = (): number => store.listPipelineSummaries(1)[0]?.id ?? 0;

  it('pages back through history newest first with `before`', () => {
    const first = store.listBuilds({ pipelineId: pipelineId(), limit: 10 });
    expect(first.map((build) => build.number)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
    first.forEach((build) => expectContract(buildSummarySchema, build));

    const second = store.listBuilds({ pipelineId: pipelineId(), limit: 10, before: 21 });
    expect(second.map((build) => build.number)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11]);

    const last = store.listBuilds({ pipelineId: pipelineId(), limit: 10, before: 3 });
    expect(last.map((build) => build.number)).toEqual([2, 1]);
  });

  it('filters by branch and by status', () => {
    const release = store.listBuilds({ pipelineId: pipelineId(), limit: 5, branch: 'release' });
    expect(release.map((build) => build.number)).toEqual([30, 28, 26, 24, 22]);

    const failed = store.listBuilds({ pipelineId: pipelineId(), limit: 50, status: 'failed' });
    expect(failed.map((build) => build.number)).toEqual([28, 25, 22, 19, 16, 13, 10, 7, 4, 1]);

    const both = store.listBuilds({
      pipelineId: pipelineId(),
      limit: 50,
      status: 'failed',
      branch: 'main',
      before: 20,
    });
    expect(both.map((build) => build.number)).toEqual([19, 13, 7, 1]);
  });

  it('returns nothing for an unknown pipeline', () => {
    expect(store.listBuilds({ pipelineId: 9999, limit: 10 })).toEqual([]);
  });
});

describe('build detail', () => {
  it('build 121 shows performance-tests failed and later stages blocked, with steps and needs', () => {
    const ids = ingestCatalogHistory();

    const detail = store.getBuildDetail(ids.get(121) ?? 0);

    expectContract(buildDetailSchema, detail);
    expect(detail?.build).toMatchObject({ number: 121, status: 'failed', commitSha: 'sha121' });
    expect(detail?.pipeline.name).toBe('Catalog');
    expect(detail?.stages.map((stage) => [stage.name, stage.status])).toEqual([
      ['compile', 'success'],
      ['unit-tests', 'success'],
      ['slow-tests', 'success'],
      ['performance-tests', 'failed'],
      ['user-acceptance', 'blocked'],
      ['production', 'blocked'],
    ]);
    expect(detail?.stages[3]?.needs).toEqual(['slow-tests']);
    expect(detail?.stages[3]?.steps.map((step) => [step.number, step.name, step.status])).toEqual([
      [1, 'checkout', 'success'],
      [2, 'run performance-tests', 'failed'],
    ]);
    expect(detail?.stages[5]?.isGate).toBe(true);
    expect(detail?.gates).toEqual([]);
  });

  it('is null for a build that does not exist', () => {
    expect(store.getBuildDetail(424242)).toBeNull();
  });
});

describe('approvals inbox', () => {
  it('lists waiting gates newest first with the stages their build passed', () => {
    store.applySnapshot(
      sourceId,
      catalogSnapshot([
        catalogBuild(140, WAITING_FOR_PRODUCTION),
        catalogBuild(141, WAITING_FOR_PRODUCTION),
        catalogBuild(142, ALL_PASSED),
      ]),
      'poll-1',
    );

    const inbox = store.listInbox();

    inbox.forEach((item) => expectContract(inboxItemSchema, item));
    expect(inbox.map((item) => item.build.number)).toEqual([141, 140]);
    expect(inbox[0]).toMatchObject({
      sourceName: 'Demo CI',
      isDemo: true,
      gate: { name: 'Deploy to production', state: 'waiting', approvers: ['release-managers'] },
    });
    expect(inbox[0]?.passedStages.map((stage) => stage.name)).toEqual([
      'compile',
      'unit-tests',
      'slow-tests',
      'performance-tests',
      'user-acceptance',
    ]);
  });

  it('gives a gate with its build, pipeline and source for deciding it', () => {
    const { gateIds } = store.applySnapshot(
      sourceId,
      catalogSnapshot([catalogBuild(150, WAITING_FOR_PRODUCTION)]),
      'poll-1',
    );

    const context = store.getGateContext(gateIds[0] ?? 0);

    expect(context).not.toBeNull();
    expectContract(gateSchema, context?.gate);
    expectContract(buildSchema, context?.build);
    expectContract(pipelineSchema, context?.pipeline);
    expect(context).toMatchObject({
      sourceId,
      sourceKey: 'demo',
      build: { number: 150, externalId: 'run-150' },
      pipeline: { externalId: 'catalog' },
      gate: { externalId: 'production-approval', canDecide: true },
    });
    expect(store.getGateContext(999)).toBeNull();
  });
});

describe('step context', () => {
  it('addresses a failed step on its source, for fetching its log', () => {
    const ids = ingestCatalogHistory();
    const failedStep = store.getBuildDetail(ids.get(120) ?? 0)?.stages[1]?.steps[1];

    const context = store.getStepContext(failedStep?.id ?? 0);

    expectContract(stepSchema, context?.step);
    expect(context).toMatchObject({
      step: { name: 'run unit-tests', status: 'failed', hasLog: true },
      stageExternalId: 'unit-tests',
      build: { externalId: 'run-120' },
      pipeline: { externalId: 'catalog' },
      sourceKey: 'demo',
    });
    expect(store.getStepContext(999_999)).toBeNull();
  });
});
