import type { Unsubscribe } from '../../../shared/contract';
import type { RendererClient } from '../api/connection';
import { useAppStore } from './app-store';
import {
  addEvent,
  addReconnect,
  EMPTY_BATCH,
  planRefetch,
  type EventBatch,
  type PushedEvent,
} from './event-batch';
import type { Loaders } from './loaders';
import { planMatrixRefetch } from './matrix-refetch';
import { showInBrowser } from '../notifications/browser-notifications';

/** Runs a callback on the next frame; returns a cancel. */
export type FrameScheduler = (callback: () => void) => () => void;

const nextAnimationFrame: FrameScheduler = (callback) => {
  const handle = requestAnimationFrame(callback);
  return () => cancelAnimationFrame(handle);
};

/**
 * The one place pushed events enter the store. Events are gathered per animation frame and
 * turned into at most one refetch per list, so a poll that touches fifty builds costs one read
 * of the dashboard, not fifty. A reconnect of the event stream refetches everything open.
 */
export function subscribeEvents(
  api: RendererClient,
  loaders: Loaders,
  options: {
    scheduleFrame?: FrameScheduler;
    clock?: () => number;
    store?: typeof useAppStore;
  } = {},
): Unsubscribe {
  const scheduleFrame = options.scheduleFrame ?? nextAnimationFrame;
  const clock = options.clock ?? (() => Date.now());
  const store = options.store ?? useAppStore;
  let batch: EventBatch = EMPTY_BATCH;
  let cancelFrame: (() => void) | null = null;

  function flush(): void {
    cancelFrame = null;
    const { openPipelineId, openBuildId } = store.getState();
    const plan = planRefetch(batch, { pipelineId: openPipelineId, buildId: openBuildId });
    const matrixPlan = planMatrixRefetch(batch, store.getState().matrixPipelineId);
    batch = EMPTY_BATCH;
    const state = store.getState();
    for (const source of plan.sources) state.upsertSource(source);
    if (plan.sources.length > 0) state.markUpdated(clock());
    if (plan.sourceList) void loaders.loadSources();
    if (plan.pipelines) void loaders.loadPipelines();
    // The inbox count shows on every page; the audit trail only while its view is open.
    if (plan.pipelines) void loaders.loadInbox();
    if (plan.pipelines && store.getState().auditOpen) void loaders.loadAudit();
    if (plan.builds !== null) void loaders.loadBuilds(plan.builds);
    if (plan.buildDetail !== null) void loaders.loadBuildDetail(plan.buildDetail);
    if (matrixPlan !== null) void loaders.refreshMatrix(matrixPlan.changedBuildIds);
  }

  function gather(change: (current: EventBatch) => EventBatch): void {
    batch = change(batch);
    cancelFrame ??= scheduleFrame(flush);
  }

  const receive = (event: PushedEvent): void => gather((current) => addEvent(current, event));
  const unsubscribes: Unsubscribe[] = [
    api.on('builds/changed', (payload) => receive({ name: 'builds/changed', payload })),
    api.on('gates/changed', (payload) => receive({ name: 'gates/changed', payload })),
    api.on('sources/changed', (payload) => receive({ name: 'sources/changed', payload })),
    api.on('sources/configured', (payload) => receive({ name: 'sources/configured', payload })),
    // Shown only if the person opted in and the page is not in front (Electron shows its own).
    api.on('notifications/show', (payload) => showInBrowser(payload)),
  ];
  if (api.onConnectionChange) {
    unsubscribes.push(
      api.onConnectionChange(({ state, reconnected }) => {
        store.getState().setConnection(state);
        if (reconnected) gather(addReconnect);
      }),
    );
  } else {
    // IPC has no connection to lose.
    store.getState().setConnection('open');
  }

  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    cancelFrame?.();
    cancelFrame = null;
    batch = EMPTY_BATCH;
  };
}
