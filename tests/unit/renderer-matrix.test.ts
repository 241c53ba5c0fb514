import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../src/shared/contract';
import type { BuildSummary } from '../../src/shared/model';
import type { Status } from '../../src/shared/status';
import { propagateBlocked } from '../../src/renderer/src/graph/blocked';
import { resetStore, useAppStore } from '../../src/renderer/src/store/app-store';
import { EMPTY_BATCH, addEvent } from '../../src/renderer/src/store/event-batch';
import {
  MATRIX_PAGE,
  buildsNeedingGateMarks,
  createMatrixLoaders,
} from '../../src/renderer/src/store/matrix-loaders';
import { planMatrixRefetch } from '../../src/renderer/src/store/matrix-refetch';
import { appendOlder, mergeNewest } from '../../src/renderer/src/store/slices/matrix-slice';
import {
  findFirstFailure,
  firstFailureSinceLastGreen,
  isGreen,
} from '../../src/renderer/src/views/matrix/first-failure';
import { jumpWords } from '../../src/renderer/src/views/matrix/jump-words';
import { matrixColumns } from '../../src/renderer/src/views/matrix/matrix-columns';
import { cellTitle } from '../../src/renderer/src/views/matrix/matrix-cell';
import {
  nearEnd,
  rowWindow,
  scrollTopFor,
} from '../../src/renderer/src/views/matrix/virtual-window';
import { CATALOG_STAGES, catalogBuild, productionGate } from './renderer-factories';

const S = 'success';
const F = 'failed';
const B = 'blocked';
const W = 'waiting';

/** A build as `builds/list` answers it: the Catalog stages with these statuses. */
function row(number: number, statuses: readonly Status[], overrides: Partial<BuildSummary> = {}) {
  const { build, stages } = catalogBuild(number, statuses);
  const summary: BuildSummary = {
    ...build,
    id: number,
    stages: stages.map(
      ({ steps: _s, buildId: _b, webUrl: _w, needs: _n, hasLog: _h, ...rest }) => ({
        ...rest,
        id: number * 10 + rest.position,
      }),
    ),
    ...overrides,
  };
  return summary;
}

/** A build of arbitrary stage names, in this order. */
function named(number: number, names: readonly (string | readonly string[])[]): BuildSummary {
  const stages = names.flatMap((entry, position) =>
    (typeof entry === 'string' ? [entry] : entry).map((name, index) => ({
      id: number * 100 + position * 10 + index,
      externalId: `${name}-${number}`,
      name,
      position,
      status: 'success' as Status,
      statusDetail: null,
      startedAt: null,
      finishedAt: null,
      isGate: false,
    })),
  );
  return { ...row(number, []), stages };
}

/** Builds 120–122 as the book draws them, newest first. */
const BOOK = [
  row(122, [S, S, S, S, S, W]),
  row(121, [S, S, S, F, B, B]),
  row(120, [S, F, B, B, B, B]),
];

describe('matrix columns', () => {
  it('are the Catalog stages in pipeline order, production marked as the gate', () => {
    const columns = matrixColumns(BOOK);
    expect(columns.map((column) => column.name)).toEqual([...CATALOG_STAGES]);
    expect(columns.filter((column) => column.isGate).map((column) => column.name)).toEqual([
      'production',
    ]);
  });

  it('are the union over builds: a stage added later sits where it runs', () => {
    const newer = named(3, ['compile', 'lint', 'test', 'deploy']);
    const older = named(2, ['compile', 'test', 'deploy']);
    const oldest = named(1, ['compile', 'test', 'package', 'deploy']);
    expect(matrixColumns([newer, older, oldest]).map((column) => column.name)).toEqual([
      'compile',
      'lint',
      'test',
      'package',
      'deploy',
    ]);
  });

  it('keep parallel stages side by side and both before what follows them', () => {
    const build = named(1, ['compile', ['unit', 'lint'], 'deploy']);
    expect(matrixColumns([build]).map((column) => column.name)).toEqual([
      'compile',
      'unit',
      'lint',
      'deploy',
    ]);
  });

  it('give disjoint stage sets every stage once, the newest build first', () => {
    const columns = matrixColumns([named(2, ['build', 'ship']), named(1, ['make', 'check'])]);
    expect(columns.map((column) => column.name)).toEqual(['build', 'ship', 'make', 'check']);
  });

  it('survive builds that disagree about the order (a cycle) without losing a stage', () => {
    const columns = matrixColumns([
      named(3, ['a', 'b', 'c']),
      named(2, ['c', 'a']),
      named(1, ['b', 'a']),
    ]);
    expect(columns.map((column) => column.name).sort()).toEqual(['a', 'b', 'c']);
    expect(columns).toHaveLength(3);
    expect(columns[0]!.name).toBe('a');
  });

  it('are empty for no builds', () => {
    expect(matrixColumns([])).toEqual([]);
  });
});

describe('first failure since the last green build', () => {
  it('counts a build waiting at the production gate with every automated stage passed as green', () => {
    expect(isGreen(BOOK[0]!)).toBe(true);
    expect(isGreen(row(5, [S, S, S, S, S, S]))).toBe(true);
    expect(isGreen(BOOK[1]!)).toBe(false);
    expect(isGreen(row(6, [S, S, 'running', 'queued']))).toBe(false);
  });

  it('finds the oldest failure newer than the last green build', () => {
    const builds = [row(126, [S, F]), row(125, [S, S, 'running']), row(124, [S, S, F]), ...BOOK];
    const answer = firstFailureSinceLastGreen(builds, false);
    expect(answer).toMatchObject({
      kind: 'found',
      build: { number: 124 },
      lastGreen: { number: 122 },
    });
    expect(jumpWords(answer)).toBe('#124 is the first failure since #122 was green');
  });

  it('says nothing failed when the newest builds are green or running', () => {
    const answer = firstFailureSinceLastGreen([row(123, [S, 'running']), ...BOOK], false);
    expect(answer).toMatchObject({ kind: 'none', lastGreen: { number: 122 } });
    expect(jumpWords(answer)).toBe('Nothing failed since #122 was green');
  });

  it('asks for more history when no green build is loaded yet', () => {
    expect(firstFailureSinceLastGreen([BOOK[1]!, BOOK[2]!], false)).toEqual({ kind: 'need-more' });
  });

  it('lands on the first failure of all when the whole history was never green', () => {
    const answer = firstFailureSinceLastGreen([BOOK[1]!, BOOK[2]!], true);
    expect(answer).toMatchObject({ kind: 'found', build: { number: 120 }, lastGreen: null });
    expect(jumpWords(answer)).toMatch(/#120 is the first failure: no build was green/);
  });

  it('reads older pages until it finds a green build', async () => {
    const pages = [[row(130, [S, F]), row(129, [S, F])], [row(128, [F])], [...BOOK]];
    let loaded: BuildSummary[] = [...pages[0]!];
    let page = 0;
    const loadOlder = vi.fn(async () => {
      page += 1;
      loaded = [...loaded, ...(pages[page] ?? [])];
    });
    const answer = await findFirstFailure(
      () => ({ builds: loaded, complete: page >= pages.length - 1, error: null }),
      loadOlder,
    );
    expect(loadOlder).toHaveBeenCalledTimes(2);
    expect(answer).toMatchObject({ kind: 'found', build: { number: 128 } });
  });

  it('stops looking when a page brings nothing new', async () => {
    const builds = [row(130, [S, F])];
    const answer = await findFirstFailure(
      () => ({ builds, complete: false, error: null }),
      async () => {},
    );
    expect(answer).toMatchObject({ kind: 'found', build: { number: 130 }, lastGreen: null });
  });
});

describe('matrix pages', () => {
  it('a re-read newest page replaces the top and keeps older pages, unchanged rows as they were', () => {
    const loaded = [row(3, [S]), row(2, [S]), row(1, [F])];
    const page = [row(4, [S]), row(3, [S]), row(2, [F])];
    const { builds, complete } = mergeNewest(loaded, page, 3);
    expect(builds.map((build) => build.number)).toEqual([4, 3, 2, 1]);
    expect(builds[1]).toBe(loaded[0]);
    expect(builds[2]).not.toBe(loaded[1]);
    expect(builds[3]).toBe(loaded[2]);
    expect(complete).toBeNull();
  });

  it('a short newest page is the whole history', () => {
    const loaded = [row(2, [S]), row(1, [S])];
    const merged = mergeNewest(loaded, [row(2, [S]), row(1, [S])], 100);
    expect(merged).toEqual({ builds: loaded, complete: true });
    expect(merged.builds).toBe(loaded);
  });

  it('older pages are appended once, and a short one ends the history', () => {
    const loaded = [row(5, [S]), row(4, [S])];
    const { builds, complete } = appendOlder(loaded, [row(4, [S]), row(3, [S])], 5);
    expect(builds.map((build) => build.number)).toEqual([5, 4, 3]);
    expect(complete).toBe(true);
  });
});

describe('virtual rows', () => {
  it('renders only the rows in view plus a few either side', () => {
    const range = rowWindow({ scrollTop: 3600, viewportHeight: 720, rowHeight: 36, count: 10_000 });
    expect(range.start).toBe(92);
    expect(range.end).toBe(100 + 21 + 8);
    expect(range.end - range.start).toBeLessThan(40);
    expect(range.offset).toBe(92 * 36);
    expect(range.total).toBe(360_000);
  });

  it('costs the same for ten thousand builds as for a hundred', () => {
    const small = rowWindow({ scrollTop: 0, viewportHeight: 720, rowHeight: 36, count: 100 });
    const large = rowWindow({ scrollTop: 0, viewportHeight: 720, rowHeight: 36, count: 10_000 });
    expect(large.end - large.start).toBe(small.end - small.start);
  });

  it('clamps at the ends and handles an empty list', () => {
    expect(
      rowWindow({ scrollTop: 99_999, viewportHeight: 360, rowHeight: 36, count: 20 }),
    ).toMatchObject({
      end: 20,
    });
    expect(rowWindow({ scrollTop: 0, viewportHeight: 360, rowHeight: 36, count: 0 })).toEqual({
      start: 0,
      end: 0,
      offset: 0,
      total: 0,
    });
  });

  it('asks for older builds near the end, and scrolls a target a third of the way down', () => {
    const range = rowWindow({ scrollTop: 0, viewportHeight: 720, rowHeight: 36, count: 100 });
    expect(nearEnd(range, 100)).toBe(false);
    expect(
      nearEnd(rowWindow({ scrollTop: 2400, viewportHeight: 720, rowHeight: 36, count: 100 }), 100),
    ).toBe(true);
    expect(scrollTopFor(50, { rowHeight: 36, viewportHeight: 720 })).toBe(50 * 36 - 240);
    expect(scrollTopFor(1, { rowHeight: 36, viewportHeight: 720 })).toBe(0);
  });
});

describe('matrix cells', () => {
  it('show blocked, not pending, for stages after a failure once the build is over', () => {
    const queuedAfterFailure = row(121, [S, S, S, F, 'queued', 'skipped']);
    const shown = propagateBlocked(queuedAfterFailure.stages, true);
    expect(shown.map((stage) => stage.status)).toEqual([S, S, S, F, B, B]);
    expect(shown[0]).toBe(queuedAfterFailure.stages[0]);
    expect(propagateBlocked(queuedAfterFailure.stages, false).map((stage) => stage.status)).toEqual(
      [S, S, S, F, 'queued', 'skipped'],
    );
  });

  it('say the duration and who approved in their title', () => {
    const stage = row(122, [S, S, S, S, S, S]).stages[5]!;
    expect(
      cellTitle(stage, {
        stageExternalId: 'production',
        state: 'approved',
        decidedBy: 'Dana Kowalski',
      }),
    ).toBe('production: passed (1m00s) — approved by Dana Kowalski');
    expect(cellTitle(row(121, [S, S, S, F]).stages[3]!, null)).toBe(
      'performance-tests: failed (1m00s)',
    );
    const unstable = { ...row(121, [S, S, S, F]).stages[3]!, statusDetail: 'Unstable' };
    expect(cellTitle(unstable, null)).toBe('performance-tests: unstable (1m00s)');
  });

  it('read gate decisions only for builds past their gate', () => {
    expect(buildsNeedingGateMarks([row(123, [S, S, S, S, S, S]), ...BOOK])).toEqual([123]);
  });
});

describe('matrix refreshes', () => {
  it('re-read the open matrix when its pipeline changed, a gate changed or the stream reconnected', () => {
    const changed = addEvent(EMPTY_BATCH, {
      name: 'builds/changed',
      payload: { pipelineIds: [1], buildIds: [121] },
    });
    expect(planMatrixRefetch(changed, 1)).toEqual({ changedBuildIds: new Set([121]) });
    expect(planMatrixRefetch(changed, 2)).toBeNull();
    expect(planMatrixRefetch(changed, null)).toBeNull();
    const gate = addEvent(EMPTY_BATCH, { name: 'gates/changed', payload: { gateIds: [7] } });
    expect(planMatrixRefetch(gate, 2)).not.toBeNull();
    expect(planMatrixRefetch({ ...EMPTY_BATCH, everything: true }, 2)).not.toBeNull();
  });
});

describe('matrix loaders', () => {
  beforeEach(() => resetStore());

  /** A fake `builds/list` over a history of `count` builds (newest = count + 119), numbered like the demo. */
  function fakeHistory(count: number) {
    const all = Array.from({ length: count }, (_, index) =>
      row(119 + count - index, [S, S, S, S, S, W]),
    );
    const list = vi.fn(
      async (input: { limit?: number; before?: number; branch?: string; status?: Status }) =>
        all
          .filter((build) => input.before === undefined || build.number < input.before)
          .filter((build) => input.status === undefined || build.status === input.status)
          .slice(0, input.limit ?? 50),
    );
    const get = vi.fn(async ({ buildId }: { buildId: number }) => ({
      build: all.find((build) => build.id === buildId)!,
      pipeline: { id: 1, sourceId: 1, externalId: 'catalog', name: 'Catalog', webUrl: null },
      stages: [],
      gates: [productionGate(buildId, { state: 'approved', decidedBy: 'Dana Kowalski' })],
    }));
    const api = { 'builds/list': list, 'builds/get': get } as unknown as ApiClient;
    return { all, list, get, loaders: createMatrixLoaders(api) };
  }

  it('open a page of the newest builds and page back with `before`', async () => {
    const { list, loaders } = fakeHistory(250);
    await loaders.openMatrix(1, { branch: null, status: null });
    expect(list).toHaveBeenLastCalledWith({ pipelineId: 1, limit: MATRIX_PAGE });
    expect(useAppStore.getState().matrixBuilds).toHaveLength(100);
    await loaders.loadOlderMatrixBuilds();
    expect(list).toHaveBeenLastCalledWith({ pipelineId: 1, limit: MATRIX_PAGE, before: 270 });
    await loaders.loadOlderMatrixBuilds();
    const state = useAppStore.getState();
    expect(state.matrixBuilds).toHaveLength(250);
    expect(state.matrixBuilds.at(-1)!.number).toBe(120);
    expect(state.matrixComplete).toBe(true);
    await loaders.loadOlderMatrixBuilds();
    expect(list).toHaveBeenCalledTimes(3);
  });

  it('pass the filters to `builds/list` and drop answers for a filter no longer shown', async () => {
    const { list, loaders } = fakeHistory(30);
    const first = loaders.openMatrix(1, { branch: 'main', status: null });
    const second = loaders.openMatrix(1, { branch: null, status: 'failed' });
    await Promise.all([first, second]);
    expect(list).toHaveBeenCalledWith({ pipelineId: 1, limit: MATRIX_PAGE, branch: 'main' });
    expect(list).toHaveBeenLastCalledWith({ pipelineId: 1, limit: MATRIX_PAGE, status: 'failed' });
    expect(useAppStore.getState().matrixBuilds).toEqual([]);
    expect(useAppStore.getState().matrixLoaded).toBe(true);
  });

  it('refresh deep enough to cover an old build that changed', async () => {
    const { list, loaders } = fakeHistory(250);
    await loaders.openMatrix(1, { branch: null, status: null });
    await loaders.loadOlderMatrixBuilds();
    const deep = useAppStore.getState().matrixBuilds[150]!;
    await loaders.refreshMatrix(new Set([deep.id]));
    expect(list).toHaveBeenLastCalledWith({ pipelineId: 1, limit: 151 });
    expect(useAppStore.getState().matrixBuilds).toHaveLength(200);
  });

  it('read who decided a gate once per build', async () => {
    const { get, loaders } = fakeHistory(5);
    await loaders.openMatrix(1, { branch: null, status: null });
    await loaders.loadMatrixGates([124, 123]);
    await loaders.loadMatrixGates([124]);
    expect(get).toHaveBeenCalledTimes(2);
    expect(useAppStore.getState().matrixGates[124]).toEqual([
      { stageExternalId: 'production', state: 'approved', decidedBy: 'Dana Kowalski' },
    ]);
  });

  it('stop reading once closed', async () => {
    const { list, loaders } = fakeHistory(5);
    await loaders.openMatrix(1, { branch: null, status: null });
    loaders.closeMatrix();
    await loaders.refreshMatrix();
    expect(list).toHaveBeenCalledTimes(1);
    expect(useAppStore.getState().matrixPipelineId).toBeNull();
  });
});
