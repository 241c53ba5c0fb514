import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RendererClient } from '../../src/renderer/src/api/connection';
import { resetStore, useAppStore } from '../../src/renderer/src/store/app-store';
import { createLoaders } from '../../src/renderer/src/store/loaders';
import { subscribeEvents } from '../../src/renderer/src/store/subscribe-events';
import type { EventName } from '../../src/shared/contract';
import type { AuditEntry, InboxItem } from '../../src/shared/model';
import { catalogBuild, productionGate } from './renderer-factories';

/** Build 122 of Catalog waiting at production, with what it passed. */
function waitingItem(number: number): InboxItem {
  const { build, stages } = catalogBuild(number, [
    'success',
    'success',
    'success',
    'success',
    'success',
    'waiting',
  ]);
  return {
    gate: productionGate(build.id, { id: number }),
    pipeline: { id: 1, sourceId: 1, externalId: 'catalog', name: 'Catalog', webUrl: null },
    sourceName: 'Catalog (demo)',
    isDemo: true,
    build,
    passedStages: stages
      .filter((stage) => stage.status === 'success')
      .map(({ steps: _s, buildId: _b, webUrl: _w, needs: _n, hasLog: _h, ...rest }) => rest),
  };
}

const attempt: AuditEntry = {
  id: 1,
  at: '2025-03-01T10:00:00Z',
  actor: 'ana',
  gateId: 122,
  buildId: 122,
  pipelineName: 'Catalog',
  buildNumber: 122,
  gateName: 'production',
  decision: 'reject',
  comment: '',
  outcome: 'done',
  serverAnswer: 'Rejected.',
  requestId: 'click-0001',
};

function fakeApi(inbox: InboxItem[][]) {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls = {
    'sources/list': vi.fn(async () => []),
    'pipelines/list': vi.fn(async () => []),
    'gates/inbox': vi.fn(async () => inbox.shift() ?? []),
    'audit/list': vi.fn(async () => [attempt]),
  };
  const api = {
    ...calls,
    on: (event: EventName, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  return {
    api: api as unknown as RendererClient,
    calls,
    push(event: EventName, payload: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
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

beforeEach(() => resetStore());

describe('the inbox in the store', () => {
  it('is re-read when gates change, and keeps unchanged items as they were', async () => {
    const first = [waitingItem(122)];
    const { api, calls, push } = fakeApi([first, [waitingItem(123), waitingItem(122)]]);
    const loaders = createLoaders(api);
    await loaders.loadInbox();
    expect(useAppStore.getState().inbox.map((item) => item.build.number)).toEqual([122]);
    const kept = useAppStore.getState().inbox[0];

    const frames = manualFrames();
    const stop = subscribeEvents(api, loaders, { scheduleFrame: frames.schedule });
    push('gates/changed', { gateIds: [123] });
    frames.run();
    await settle();
    expect(calls['gates/inbox']).toHaveBeenCalledTimes(2);
    const inbox = useAppStore.getState().inbox;
    expect(inbox.map((item) => item.build.number)).toEqual([123, 122]);
    expect(inbox[1]).toBe(kept);
    stop();
  });

  it('says why the inbox could not be read', async () => {
    const { api, calls } = fakeApi([]);
    calls['gates/inbox'].mockRejectedValueOnce(new Error('Cannot reach the Pipewatch server.'));
    await createLoaders(api).loadInbox();
    expect(useAppStore.getState().inboxError).toBe('Cannot reach the Pipewatch server.');
  });

  it('re-reads the audit trail on changes only while its view is open', async () => {
    const { api, calls, push } = fakeApi([]);
    const frames = manualFrames();
    const stop = subscribeEvents(api, createLoaders(api), { scheduleFrame: frames.schedule });
    push('gates/changed', { gateIds: [122] });
    frames.run();
    await settle();
    expect(calls['audit/list']).not.toHaveBeenCalled();
    useAppStore.getState().setAuditOpen(true);
    push('gates/changed', { gateIds: [122] });
    frames.run();
    await settle();
    expect(calls['audit/list']).toHaveBeenCalledWith({ limit: 10_000 });
    expect(useAppStore.getState().audit).toEqual([attempt]);
    stop();
  });
});
