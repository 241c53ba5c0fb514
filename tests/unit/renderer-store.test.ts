import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient, EventName, EventPayload } from '../../src/shared/contract';
import type { BuildSummary, PipelineSummary, Source } from '../../src/shared/model';
import type { ConnectionChange, RendererClient } from '../../src/renderer/src/api/connection';
import { resetStore, useAppStore } from '../../src/renderer/src/store/app-store';
import { addEvent, EMPTY_BATCH, planRefetch } from '../../src/renderer/src/store/event-batch';
import { keepUnchanged } from '../../src/renderer/src/store/keep-unchanged';
import { createLoaders } from '../../src/renderer/src/store/loaders';
import { subscribeEvents } from '../../src/renderer/src/store/subscribe-events';
import { catalogBuild, catalogDetail } from './renderer-factories';

function summary(number: number): BuildSummary {
  const { build, stages } = catalogBuild(number, ['success']);
  return {
    ...build,
    stages: stages.map(({ steps: _s, buildId: _b, webUrl: _w, needs: _n, ...rest }) => rest),
  };
}

function pipeline(id: number, name: string): PipelineSummary {
  return {
    id,
    sourceId: 1,
    externalId: name.toLowerCase(),
    name,
    webUrl: null,
    sourceName: 'Demo CI',
    sourceKind: 'demo',
    isDemo: true,
    recentBuilds: [summary(122)],
    waitingGates: 1,
  };
}

const demoSource = (state: Source['health']['state']): Source => ({
  id: 1,
  key: 'demo',
  kind: 'demo',
  name: 'Demo CI',
  baseUrl: null,
  isDemo: true,
  enabled: true,
  capabilities: [],
  rateLimit: null,
  minimumIntervalSeconds: null,
  health: {
    state,
    message: null,
    lastPollAt: null,
    lastSuccessAt: null,
    nextPollAt: null,
    backoffUntil: null,
    consecutiveFailures: 0,
  },
});

/** A fake API that counts calls, with hand-driven events and connection changes. */
function fakeApi() {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connection = new Set<(change: ConnectionChange) => void>();
  const api = {
    'sources/list': vi.fn(async () => [demoSource('ok')]),
    'pipelines/list': vi.fn(async () => [pipeline(1, 'Catalog')]),
    'builds/list': vi.fn(async () => [summary(122), summary(121)]),
    'builds/get': vi.fn(async ({ buildId }: { buildId: number }) =>
      catalogDetail(buildId, ['success']),
    ),
    on: (event: EventName, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    onConnectionChange: (listener: (change: ConnectionChange) => void) => {
      connection.add(listener);
      return () => connection.delete(listener);
    },
  };
  return {
    api: api as unknown as RendererClient & ApiClient,
    calls: api,
    push<K extends EventName>(event: K, payload: EventPayload<K>) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    connect(change: ConnectionChange) {
      for (const listener of connection) listener(change);
    },
  };
}

/** Frames run only when the test says so. */
function manualFrames() {
  const pending: Array<() => void> = [];
  return {
    schedule: (callback: () => void) => {
      pending.push(callback);
      return () => pending.splice(pending.indexOf(callback), 1);
    },
    run: () => {
      for (const callback of pending.splice(0)) callback();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => resetStore());

describe('pushed events, batched per frame', () => {
  it('fifty builds/changed events in one frame cost one dashboard refetch', async () => {
    const { api, calls, push } = fakeApi();
    const frames = manualFrames();
    const stop = subscribeEvents(api, createLoaders(api), { scheduleFrame: frames.schedule });
    for (let index = 0; index < 50; index += 1) {
      push('builds/changed', { pipelineIds: [1], buildIds: [100 + index] });
    }
    expect(calls['pipelines/list']).not.toHaveBeenCalled();
    frames.run();
    await settle();
    expect(calls['pipelines/list']).toHaveBeenCalledTimes(1);
    expect(useAppStore.getState().pipelines.map((p) => p.name)).toEqual(['Catalog']);
    stop();
  });

  it('re-reads the open pipeline and build only when the event names them', async () => {
    const { api, calls, push } = fakeApi();
    const frames = manualFrames();
    const loaders = createLoaders(api);
    await loaders.loadBuilds(1);
    await loaders.loadBuildDetail(122);
    calls['builds/list'].mockClear();
    calls['builds/get'].mockClear();
    const stop = subscribeEvents(api, loaders, { scheduleFrame: frames.schedule });

    push('builds/changed', { pipelineIds: [2], buildIds: [500] });
    frames.run();
    await settle();
    expect(calls['builds/list']).not.toHaveBeenCalled();
    expect(calls['builds/get']).not.toHaveBeenCalled();

    push('builds/changed', { pipelineIds: [1], buildIds: [122] });
    frames.run();
    await settle();
    expect(calls['builds/list']).toHaveBeenCalledTimes(1);
    expect(calls['builds/get']).toHaveBeenCalledWith({ buildId: 122 });
    stop();
  });

  it('a source health change updates that source without a refetch', () => {
    const { api, calls, push } = fakeApi();
    const frames = manualFrames();
    useAppStore.getState().setSources([demoSource('ok')]);
    const stop = subscribeEvents(api, createLoaders(api), {
      scheduleFrame: frames.schedule,
      clock: () => 42,
    });
    push('sources/changed', { source: demoSource('auth-failed') });
    frames.run();
    expect(useAppStore.getState().sources[0]!.health.state).toBe('auth-failed');
    expect(useAppStore.getState().lastUpdatedAt).toBe(42);
    expect(calls['sources/list']).not.toHaveBeenCalled();
    stop();
  });

  it('shows the connection state and refetches everything after a reconnect', async () => {
    const { api, calls, connect } = fakeApi();
    const frames = manualFrames();
    const stop = subscribeEvents(api, createLoaders(api), { scheduleFrame: frames.schedule });
    connect({ state: 'reconnecting', reconnected: false });
    expect(useAppStore.getState().connection).toBe('reconnecting');
    connect({ state: 'open', reconnected: true });
    expect(useAppStore.getState().connection).toBe('open');
    frames.run();
    await settle();
    expect(calls['sources/list']).toHaveBeenCalledTimes(1);
    expect(calls['pipelines/list']).toHaveBeenCalledTimes(1);
    stop();
  });

  it('plans gate changes as a re-read of the dashboard and the open build', () => {
    const batch = addEvent(EMPTY_BATCH, { name: 'gates/changed', payload: { gateIds: [7] } });
    expect(planRefetch(batch, { pipelineId: 1, buildId: 122 })).toEqual({
      sources: [],
      sourceList: false,
      pipelines: true,
      builds: null,
      buildDetail: 122,
    });
  });
});

describe('loaders', () => {
  it('drops an answer for a pipeline that was left before it arrived', async () => {
    const { api, calls } = fakeApi();
    let answer: (builds: BuildSummary[]) => void = () => {};
    calls['builds/list'].mockImplementationOnce(
      () => new Promise<BuildSummary[]>((resolve) => (answer = resolve)),
    );
    const loaders = createLoaders(api);
    const first = loaders.loadBuilds(1);
    await loaders.loadBuilds(2);
    answer([summary(999)]);
    await first;
    expect(useAppStore.getState().openPipelineId).toBe(2);
    expect(useAppStore.getState().builds.map((build) => build.number)).toEqual([122, 121]);
  });

  it('runs one read at a time and one more for everything asked meanwhile', async () => {
    const { api, calls } = fakeApi();
    const loaders = createLoaders(api);
    await Promise.all([
      loaders.loadPipelines(),
      loaders.loadPipelines(),
      loaders.loadPipelines(),
      loaders.loadPipelines(),
    ]);
    expect(calls['pipelines/list']).toHaveBeenCalledTimes(2);
  });

  it('shows an API error in words and keeps the last good data', async () => {
    const { api, calls } = fakeApi();
    const loaders = createLoaders(api);
    await loaders.loadPipelines();
    calls['pipelines/list'].mockRejectedValueOnce(new Error('Cannot reach the Pipewatch server.'));
    await loaders.loadPipelines();
    const state = useAppStore.getState();
    expect(state.pipelinesError).toBe('Cannot reach the Pipewatch server.');
    expect(state.pipelines.map((p) => p.name)).toEqual(['Catalog']);
  });
});

describe('the store', () => {
  it('keeps unchanged items so only changed cards re-render', () => {
    const previous = [pipeline(1, 'Catalog'), pipeline(2, 'Shipping')];
    const same = keepUnchanged(previous, [pipeline(1, 'Catalog'), pipeline(2, 'Shipping')]);
    expect(same).toBe(previous);
    const changed = keepUnchanged(previous, [pipeline(1, 'Catalog'), pipeline(2, 'Shipping 2')]);
    expect(changed[0]).toBe(previous[0]);
    expect(changed[1]).not.toBe(previous[1]);
  });

  it('resetStore puts everything back', () => {
    useAppStore.getState().setPipelines([pipeline(1, 'Catalog')]);
    useAppStore.getState().setConnection('reconnecting');
    resetStore();
    expect(useAppStore.getState().pipelines).toEqual([]);
    expect(useAppStore.getState().connection).toBe('connecting');
  });
});

describe('leaving a pipeline', () => {
  it('stops pushed events from re-reading its builds', async () => {
    const { api, calls, push } = fakeApi();
    const frames = manualFrames();
    const loaders = createLoaders(api);
    await loaders.loadBuilds(1);
    loaders.closePipeline();
    calls['builds/list'].mockClear();
    const stop = subscribeEvents(api, loaders, { scheduleFrame: frames.schedule });
    push('builds/changed', { pipelineIds: [1], buildIds: [122] });
    frames.run();
    await settle();
    expect(calls['builds/list']).not.toHaveBeenCalled();
    expect(calls['pipelines/list']).toHaveBeenCalledTimes(1);
    stop();
  });
});
