import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildContentHash } from '../../src/main/store/content-hash';
import { openDatabase } from '../../src/main/store/db';
import { Store } from '../../src/main/store/store';
import {
  ALL_PASSED,
  catalogBuild,
  catalogSnapshot,
  FAILED_PERFORMANCE,
  FAILED_UNIT_TESTS,
  productionGate,
  stageSnapshot,
  temporaryFolder,
  WAITING_FOR_PRODUCTION,
} from './fixtures/store-factories';

let folder: ReturnType<typeof temporaryFolder>;
let db: Database;
let store: Store;
let sourceId: number;

beforeEach(() => {
  folder = temporaryFolder();
  db = openDatabase(join(folder.path, 'pipewatch.db'));
  store = new Store(db);
  sourceId = store.upsertSource({
    key: 'team-ci',
    kind: 'gitlab',
    name: 'Team GitLab',
    baseUrl: 'https://gitlab.example.test',
    isDemo: false,
  });
});
afterEach(() => {
  store.close();
  folder.cleanup();
});

const TABLES = ['pipelines', 'builds', 'stages', 'stage_needs', 'steps', 'gates'] as const;

function rowCounts(): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((table) => [
      table,
      (db.prepare(`SELECT COUNT(*) AS count FROM ${table}`).get() as { count: number }).count,
    ]),
  );
}

function totalChanges(): number {
  return (db.prepare('SELECT total_changes() AS changes').get() as { changes: number }).changes;
}

function stageStatuses(buildId: number): Record<string, string> {
  const detail = store.getBuildDetail(buildId);
  return Object.fromEntries(detail?.stages.map((stage) => [stage.name, stage.status]) ?? []);
}

const history = () =>
  catalogSnapshot([
    catalogBuild(120, FAILED_UNIT_TESTS),
    catalogBuild(121, FAILED_PERFORMANCE),
    catalogBuild(122, ALL_PASSED),
  ]);

describe('ingesting a poll', () => {
  it('stores new builds with their stages, steps, needs and reports them all as new', () => {
    const changes = store.applySnapshot(sourceId, history(), 'poll-1');

    expect(changes.pipelineIds).toHaveLength(1);
    expect(changes.buildIds).toHaveLength(3);
    expect(changes.changes.map((change) => [change.previousStatus, change.status])).toEqual([
      [null, 'failed'],
      [null, 'failed'],
      [null, 'success'],
    ]);
    expect(rowCounts()).toEqual({
      pipelines: 1,
      builds: 3,
      stages: 18,
      stage_needs: 15,
      steps: 36,
      gates: 0,
    });
  });

  it('the same snapshot twice writes nothing the second time and returns an empty change set', () => {
    store.applySnapshot(sourceId, history(), 'poll-1');
    const counts = rowCounts();
    const changesBefore = totalChanges();

    const second = store.applySnapshot(sourceId, history(), 'poll-2');

    expect(second).toEqual({ pipelineIds: [], buildIds: [], gateIds: [], changes: [] });
    expect(rowCounts()).toEqual(counts);
    expect(totalChanges()).toBe(changesBefore);
    const pollIds = db.prepare('SELECT DISTINCT poll_id AS pollId FROM builds').all();
    expect(pollIds).toEqual([{ pollId: 'poll-1' }]);
  });

  it('build 123 moving from performance tests to the production gate reports its old and new status', () => {
    const running: typeof ALL_PASSED = ['success', 'success', 'success', 'running'];
    const [first] = store.applySnapshot(
      sourceId,
      catalogSnapshot([catalogBuild(123, running)]),
      'poll-1',
    ).buildIds;
    expect(stageStatuses(first ?? 0)['performance-tests']).toBe('running');

    const next = store.applySnapshot(
      sourceId,
      catalogSnapshot([catalogBuild(123, WAITING_FOR_PRODUCTION)]),
      'poll-2',
    );

    expect(next.buildIds).toEqual([first]);
    expect(next.changes).toEqual([
      {
        buildId: first,
        pipelineId: next.pipelineIds[0],
        previousStatus: 'running',
        status: 'waiting',
      },
    ]);
    expect(next.gateIds).toHaveLength(1);
    expect(stageStatuses(first ?? 0)).toMatchObject({
      'performance-tests': 'success',
      'user-acceptance': 'success',
      production: 'waiting',
    });
  });

  it('keeps row ids of stages and steps across polls so cached logs stay attached', () => {
    const running: typeof ALL_PASSED = ['success', 'running'];
    const [buildId] = store.applySnapshot(
      sourceId,
      catalogSnapshot([catalogBuild(124, running)]),
      'poll-1',
    ).buildIds;
    const before = store.getBuildDetail(buildId ?? 0);
    const compileStep = before?.stages[0]?.steps[1];
    store.putLog(compileStep?.id ?? 0, 'compiled 12 files', true);

    store.applySnapshot(
      sourceId,
      catalogSnapshot([catalogBuild(124, FAILED_UNIT_TESTS)]),
      'poll-2',
    );

    const after = store.getBuildDetail(buildId ?? 0);
    expect(after?.stages.map((stage) => stage.id)).toEqual(before?.stages.map((stage) => stage.id));
    expect(store.getLog(compileStep?.id ?? 0)?.text).toBe('compiled 12 files');
  });

  it('stages, steps and gates missing from a changed build vanish', () => {
    const build = catalogBuild(125, WAITING_FOR_PRODUCTION);
    const [buildId] = store.applySnapshot(sourceId, catalogSnapshot([build]), 'poll-1').buildIds;
    const gateId = store.getBuildDetail(buildId ?? 0)?.gates[0]?.id;

    // The provider re-planned the run: two stages only, one step in the second, no gate.
    const replanned = {
      ...build,
      status: 'running' as const,
      stages: [
        stageSnapshot('compile', 0, 'success'),
        {
          ...stageSnapshot('deploy', 1, 'running', { needs: ['compile'] }),
          steps: [stageSnapshot('deploy', 1, 'running').steps[1]!],
        },
      ],
      gates: [],
    };
    const changes = store.applySnapshot(sourceId, catalogSnapshot([replanned]), 'poll-2');

    const detail = store.getBuildDetail(buildId ?? 0);
    expect(detail?.stages.map((stage) => [stage.name, stage.needs, stage.steps.length])).toEqual([
      ['compile', [], 2],
      ['deploy', ['compile'], 1],
    ]);
    expect(detail?.gates).toEqual([]);
    expect(changes.gateIds).toEqual([gateId]);
    expect(rowCounts()).toMatchObject({ stages: 2, steps: 3, stage_needs: 1, gates: 0 });
  });

  it('reports a gate when it appears and when its state changes, not while it keeps waiting', () => {
    const waiting = catalogBuild(126, WAITING_FOR_PRODUCTION);
    const appeared = store.applySnapshot(sourceId, catalogSnapshot([waiting]), 'poll-1');
    expect(appeared.gateIds).toHaveLength(1);

    // Something else about the build changed, but the gate still waits.
    const renamed = { ...waiting, commitMessage: 'Amended message' };
    const stillWaiting = store.applySnapshot(sourceId, catalogSnapshot([renamed]), 'poll-2');
    expect(stillWaiting.buildIds).toHaveLength(1);
    expect(stillWaiting.gateIds).toEqual([]);

    const approved = { ...renamed, gates: [productionGate('approved', '2024-05-01T10:06:00Z')] };
    const decided = store.applySnapshot(sourceId, catalogSnapshot([approved]), 'poll-3');
    expect(decided.gateIds).toEqual(appeared.gateIds);
    expect(store.getGateContext(appeared.gateIds[0] ?? 0)?.gate).toMatchObject({
      state: 'approved',
      decidedBy: 'ana',
    });
  });

  it('renaming a pipeline reports it without touching its builds', () => {
    store.applySnapshot(sourceId, history(), 'poll-1');
    const renamed = {
      ...history(),
      pipelines: [{ externalId: 'catalog', name: 'Catalog service', webUrl: null }],
    };

    const changes = store.applySnapshot(sourceId, renamed, 'poll-2');

    expect(changes.pipelineIds).toHaveLength(1);
    expect(changes.buildIds).toEqual([]);
    expect(store.listPipelineSummaries(1)[0]?.name).toBe('Catalog service');
  });

  it('keeps a build whose pipeline the poll did not list, under a placeholder pipeline', () => {
    const orphan = { ...catalogBuild(1, ALL_PASSED), pipelineExternalId: 'billing' };
    const changes = store.applySnapshot(sourceId, { pipelines: [], builds: [orphan] }, 'poll-1');
    expect(changes.buildIds).toHaveLength(1);
    expect(store.listPipelineSummaries(1).map((pipeline) => pipeline.name)).toEqual(['billing']);
  });

  it('the same external ids under two sources are two different builds', () => {
    const other = store.upsertSource({
      key: 'other-ci',
      kind: 'jenkins',
      name: 'Jenkins',
      baseUrl: null,
      isDemo: false,
    });
    store.applySnapshot(sourceId, history(), 'poll-1');
    const changes = store.applySnapshot(other, history(), 'poll-1');
    expect(changes.buildIds).toHaveLength(3);
    expect(rowCounts()).toMatchObject({ pipelines: 2, builds: 6 });
  });
});

describe('what pollers ask the store', () => {
  it('lists finished builds as pipeline/build external ids so adapters skip them', () => {
    store.applySnapshot(
      sourceId,
      catalogSnapshot([
        catalogBuild(120, FAILED_UNIT_TESTS),
        catalogBuild(123, WAITING_FOR_PRODUCTION),
      ]),
      'poll-1',
    );
    expect(store.finishedBuildIds(sourceId)).toEqual(new Set(['catalog/run-120']));
  });

  it('knows whether anything of a source is still moving', () => {
    store.applySnapshot(sourceId, history(), 'poll-1');
    expect(store.anyActive(sourceId)).toBe(false);
    store.applySnapshot(
      sourceId,
      catalogSnapshot([catalogBuild(123, WAITING_FOR_PRODUCTION)]),
      'poll-2',
    );
    expect(store.anyActive(sourceId)).toBe(true);
  });
});

describe('sources', () => {
  it('upserting a source by its config id keeps its row id and updates its fields', () => {
    const again = store.upsertSource({
      key: 'team-ci',
      kind: 'gitlab',
      name: 'Team GitLab (self-hosted)',
      baseUrl: 'https://gitlab.internal.test',
      isDemo: false,
    });
    expect(again).toBe(sourceId);
    expect(store.listSourceRows()).toEqual([
      {
        id: sourceId,
        key: 'team-ci',
        kind: 'gitlab',
        name: 'Team GitLab (self-hosted)',
        baseUrl: 'https://gitlab.internal.test',
        isDemo: false,
      },
    ]);
  });

  it('removing a source removes everything stored under it', () => {
    const [buildId] = store.applySnapshot(
      sourceId,
      catalogSnapshot([catalogBuild(123, WAITING_FOR_PRODUCTION)]),
      'poll-1',
    ).buildIds;
    const stepId = store.getBuildDetail(buildId ?? 0)?.stages[0]?.steps[0]?.id ?? 0;
    store.putLog(stepId, 'log', true);

    expect(store.removeSource('team-ci')).toBe(true);
    expect(store.removeSource('team-ci')).toBe(false);
    expect(rowCounts()).toEqual({
      pipelines: 0,
      builds: 0,
      stages: 0,
      stage_needs: 0,
      steps: 0,
      gates: 0,
    });
    expect(store.getLog(stepId)).toBeNull();
  });
});

describe('retention', () => {
  it('prunes the oldest builds beyond the limit per pipeline, with their stages', () => {
    const builds = Array.from({ length: 12 }, (_, index) => catalogBuild(100 + index, ALL_PASSED));
    store.applySnapshot(sourceId, catalogSnapshot(builds), 'poll-1');
    store.applySnapshot(
      sourceId,
      {
        pipelines: [{ externalId: 'billing', name: 'Billing', webUrl: null }],
        builds: [1, 2].map((number) => ({
          ...catalogBuild(number, ALL_PASSED),
          pipelineExternalId: 'billing',
        })),
      },
      'poll-1',
    );

    expect(store.pruneBuilds(10)).toBe(2);

    const numbers = db.prepare('SELECT number FROM builds ORDER BY number').all() as Array<{
      number: number;
    }>;
    expect(numbers.map((row) => row.number)).toEqual([
      1,
      2,
      ...Array.from({ length: 10 }, (_, i) => 102 + i),
    ]);
    expect(rowCounts()).toMatchObject({ builds: 12, stages: 12 * 6, steps: 12 * 12 });
    expect(store.pruneBuilds(10)).toBe(0);
  });
});

describe('content hash', () => {
  it('changes with any stage, step or gate detail and not with object key order', () => {
    const build = catalogBuild(130, WAITING_FOR_PRODUCTION);
    const reordered = Object.fromEntries(Object.entries(build).reverse()) as typeof build;
    expect(buildContentHash(reordered)).toBe(buildContentHash(build));

    const stepRenamed = structuredClone(build);
    stepRenamed.stages[2]!.steps[0]!.name = 'checkout --depth 1';
    expect(buildContentHash(stepRenamed)).not.toBe(buildContentHash(build));

    const approverAdded = structuredClone(build);
    approverAdded.gates[0]!.approvers.push('ana');
    expect(buildContentHash(approverAdded)).not.toBe(buildContentHash(build));

    const unstable = structuredClone(build);
    unstable.stages[2]!.statusDetail = 'Unstable';
    expect(buildContentHash(unstable)).not.toBe(buildContentHash(build));
    // Builds stored before status details existed keep their hash: no rewrite after an upgrade.
    const explicitNull = structuredClone(build);
    explicitNull.statusDetail = null;
    explicitNull.stages[2]!.steps[0]!.statusDetail = null;
    expect(buildContentHash(explicitNull)).toBe(buildContentHash(build));
  });

  it("keeps the provider's word for an unstable build, stage and step, and clears it when it goes", () => {
    const unstable = catalogBuild(131, FAILED_PERFORMANCE);
    unstable.statusDetail = 'Unstable';
    const stage = unstable.stages.find((candidate) => candidate.status === 'failed')!;
    stage.statusDetail = 'Unstable';
    stage.steps[0]!.statusDetail = 'Unstable';
    store.applySnapshot(sourceId, catalogSnapshot([unstable]), 'poll-1');
    const [summary] = store.listPipelineSummaries(5);
    const stored = summary!.recentBuilds[0]!;
    expect([stored.status, stored.statusDetail]).toEqual(['failed', 'Unstable']);
    const detail = store.getBuildDetail(stored.id)!;
    const storedStage = detail.stages.find(
      (candidate) => candidate.externalId === stage.externalId,
    )!;
    expect([storedStage.statusDetail, storedStage.steps[0]!.statusDetail]).toEqual([
      'Unstable',
      'Unstable',
    ]);
    expect(stored.stages.find((candidate) => candidate.id === storedStage.id)?.statusDetail).toBe(
      'Unstable',
    );
    expect(detail.stages.filter((candidate) => candidate.statusDetail !== null)).toHaveLength(1);

    const fixed = catalogBuild(131, FAILED_PERFORMANCE);
    store.applySnapshot(sourceId, catalogSnapshot([fixed]), 'poll-2');
    expect(store.getBuildDetail(stored.id)!.build.statusDetail).toBeNull();
  });
});
