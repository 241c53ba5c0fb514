import type { EventName, EventPayload } from '../../../shared/contract';
import type { Source } from '../../../shared/model';

/** Pushed events gathered during one animation frame. */
export type EventBatch = {
  /** Everything may be stale (the event stream reconnected). */
  everything: boolean;
  pipelineIds: ReadonlySet<number>;
  buildIds: ReadonlySet<number>;
  buildsChanged: boolean;
  gatesChanged: boolean;
  /** The newest pushed state of each source, by id. */
  sources: ReadonlyMap<number, Source>;
};

/** A pushed event as the store sees it. */
export type PushedEvent = { [K in EventName]: { name: K; payload: EventPayload<K> } }[EventName];

/** What to apply and refetch for one batch. */
export type RefetchPlan = {
  sources: Source[];
  sourceList: boolean;
  pipelines: boolean;
  /** The open pipeline's id when its builds must be re-read. */
  builds: number | null;
  /** The open build's id when its detail must be re-read. */
  buildDetail: number | null;
};

/** Nothing pending. */
export const EMPTY_BATCH: EventBatch = {
  everything: false,
  pipelineIds: new Set(),
  buildIds: new Set(),
  buildsChanged: false,
  gatesChanged: false,
  sources: new Map(),
};

/** Adds one pushed event to a batch (pure: returns a new batch). */
export function addEvent(batch: EventBatch, event: PushedEvent): EventBatch {
  switch (event.name) {
    case 'builds/changed':
      return {
        ...batch,
        buildsChanged: true,
        pipelineIds: new Set([...batch.pipelineIds, ...event.payload.pipelineIds]),
        buildIds: new Set([...batch.buildIds, ...event.payload.buildIds]),
      };
    case 'gates/changed':
      return { ...batch, gatesChanged: true };
    case 'sources/changed':
      return {
        ...batch,
        sources: new Map([...batch.sources, [event.payload.source.id, event.payload.source]]),
      };
    case 'notifications/show':
      // Shown where they arrive (subscribe-events); nothing in the store to refresh.
      return batch;
    case 'sources/configured':
      // A source came or went in Settings: its pipelines and health may all have changed.
      return { ...batch, everything: true };
  }
}

/** Marks everything stale: events may have been missed while the stream was down. */
export function addReconnect(batch: EventBatch): EventBatch {
  return { ...batch, everything: true };
}

/**
 * Decides the refetches for a batch, given what is open: however many events arrived, each
 * list is read at most once. Gate changes re-read the open build, since a gate's id alone does
 * not say which build it belongs to until that build's detail is read.
 */
export function planRefetch(
  batch: EventBatch,
  open: { pipelineId: number | null; buildId: number | null },
): RefetchPlan {
  const { everything } = batch;
  const builds =
    open.pipelineId !== null && (everything || batch.pipelineIds.has(open.pipelineId))
      ? open.pipelineId
      : null;
  const buildDetail =
    open.buildId !== null && (everything || batch.gatesChanged || batch.buildIds.has(open.buildId))
      ? open.buildId
      : null;
  return {
    sources: [...batch.sources.values()],
    sourceList: everything,
    pipelines: everything || batch.buildsChanged || batch.gatesChanged,
    builds,
    buildDetail,
  };
}
