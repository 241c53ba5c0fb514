import type { ApiClient } from '../../../shared/contract';
import { errorWords } from '../format/error-words';
import { useAppStore } from './app-store';
import { createApprovalLoaders, type ApprovalLoaders } from './approval-loaders';
import { createMatrixLoaders, type MatrixLoaders } from './matrix-loaders';

/** How many builds the dashboard shows per pipeline, and the pipeline view lists. */
export const DASHBOARD_BUILDS = 5;
export const PIPELINE_BUILDS = 50;

/** Reads from the API into the store; the only writers besides pushed events. */
export type Loaders = {
  loadSources(): Promise<void>;
  loadPipelines(): Promise<void>;
  /** Opens a pipeline (if not open) and reads its builds. */
  loadBuilds(pipelineId: number): Promise<void>;
  /** Opens a build (if not open) and reads its detail. */
  loadBuildDetail(buildId: number): Promise<void>;
  /** Nothing is open any more, so pushed events stop re-reading the pipeline and build. */
  closePipeline(): void;
  /** Everything that is open, e.g. after the event stream reconnected. */
  refreshAll(): Promise<void>;
} & ApprovalLoaders &
  MatrixLoaders;

/**
 * Loaders for one API client. Each read runs at most once at a time: a request made while the
 * same read is in flight waits for it and then reads once more, so a burst of events costs two
 * requests, not one per event.
 */
export function createLoaders(
  api: ApiClient,
  clock: () => number = () => Date.now(),
  store = useAppStore,
): Loaders {
  const inFlight = new Map<string, { running: Promise<void>; again: Promise<void> | null }>();

  function once(key: string, read: () => Promise<void>): Promise<void> {
    const current = inFlight.get(key);
    if (current) {
      current.again ??= current.running.then(() => once(key, read));
      return current.again;
    }
    const entry = { running: read(), again: null };
    inFlight.set(key, entry);
    void entry.running.finally(() => {
      if (inFlight.get(key) === entry) inFlight.delete(key);
    });
    return entry.running;
  }

  const loaders: Loaders = {
    ...createApprovalLoaders(api, once, store),
    ...createMatrixLoaders(api, store),
    loadSources: () =>
      once('sources', async () => {
        try {
          store.getState().setSources(await api['sources/list']({}));
          store.getState().markUpdated(clock());
        } catch (error) {
          store.getState().setSourcesError(errorWords(error));
        }
      }),
    loadPipelines: () =>
      once('pipelines', async () => {
        try {
          store.getState().setPipelines(await api['pipelines/list']({ builds: DASHBOARD_BUILDS }));
          store.getState().markUpdated(clock());
        } catch (error) {
          store.getState().setPipelinesError(errorWords(error));
        }
      }),
    loadBuilds: (pipelineId) => {
      store.getState().openPipeline(pipelineId);
      return once(`builds:${pipelineId}`, async () => {
        try {
          const builds = await api['builds/list']({ pipelineId, limit: PIPELINE_BUILDS });
          store.getState().setBuilds(pipelineId, builds);
        } catch (error) {
          store.getState().setBuildsError(pipelineId, errorWords(error));
        }
      });
    },
    loadBuildDetail: (buildId) => {
      store.getState().openBuild(buildId);
      return once(`build:${buildId}`, async () => {
        try {
          store.getState().setBuildDetail(await api['builds/get']({ buildId }));
        } catch (error) {
          store.getState().setBuildDetailError(buildId, errorWords(error));
        }
      });
    },
    closePipeline: () => {
      store.getState().openBuild(null);
      store.getState().openPipeline(null);
    },
    refreshAll: async () => {
      const { openPipelineId, openBuildId } = store.getState();
      await Promise.all([
        loaders.loadSources(),
        loaders.loadPipelines(),
        openPipelineId === null ? null : loaders.loadBuilds(openPipelineId),
        openBuildId === null ? null : loaders.loadBuildDetail(openBuildId),
      ]);
    },
  };
  return loaders;
}
