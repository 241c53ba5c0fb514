import type { StateCreator } from 'zustand';
import type { BuildSummary } from '../../../../shared/model';
import { keepUnchanged } from '../keep-unchanged';

/** The builds of the pipeline that is open, newest first. */
export type BuildsSlice = {
  openPipelineId: number | null;
  builds: BuildSummary[];
  buildsLoaded: boolean;
  buildsError: string | null;
  /** Opens a pipeline; its builds are empty until loaded (never another pipeline's). */
  openPipeline(pipelineId: number | null): void;
  /** Ignored unless `pipelineId` is still the open one (a late answer for a pipeline left). */
  setBuilds(pipelineId: number, builds: BuildSummary[]): void;
  setBuildsError(pipelineId: number, message: string | null): void;
};

/** The builds slice. */
export const createBuildsSlice: StateCreator<BuildsSlice, [], [], BuildsSlice> = (set) => ({
  openPipelineId: null,
  builds: [],
  buildsLoaded: false,
  buildsError: null,
  openPipeline: (pipelineId) =>
    set((state) =>
      state.openPipelineId === pipelineId
        ? state
        : { openPipelineId: pipelineId, builds: [], buildsLoaded: false, buildsError: null },
    ),
  setBuilds: (pipelineId, builds) =>
    set((state) =>
      state.openPipelineId === pipelineId
        ? { builds: keepUnchanged(state.builds, builds), buildsLoaded: true, buildsError: null }
        : state,
    ),
  setBuildsError: (pipelineId, message) =>
    set((state) => (state.openPipelineId === pipelineId ? { buildsError: message } : state)),
});
