import type { StateCreator } from 'zustand';
import type { PipelineSummary } from '../../../../shared/model';
import { keepUnchanged } from '../keep-unchanged';

/** Every pipeline with its recent builds: what the dashboard shows. */
export type PipelinesSlice = {
  pipelines: PipelineSummary[];
  pipelinesLoaded: boolean;
  pipelinesError: string | null;
  setPipelines(pipelines: PipelineSummary[]): void;
  setPipelinesError(message: string | null): void;
};

/** The pipelines slice. */
export const createPipelinesSlice: StateCreator<PipelinesSlice, [], [], PipelinesSlice> = (
  set,
) => ({
  pipelines: [],
  pipelinesLoaded: false,
  pipelinesError: null,
  setPipelines: (pipelines) =>
    set((state) => ({
      pipelines: keepUnchanged(state.pipelines, pipelines),
      pipelinesLoaded: true,
      pipelinesError: null,
    })),
  setPipelinesError: (message) => set({ pipelinesError: message }),
});
