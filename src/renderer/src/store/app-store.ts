import { create } from 'zustand';
import { createBuildDetailSlice, type BuildDetailSlice } from './slices/build-detail-slice';
import { createBuildsSlice, type BuildsSlice } from './slices/builds-slice';
import { createConnectionSlice, type ConnectionSlice } from './slices/connection-slice';
import { createPipelinesSlice, type PipelinesSlice } from './slices/pipelines-slice';
import { createSourcesSlice, type SourcesSlice } from './slices/sources-slice';

/** Everything the renderer knows, as one store of typed slices. */
export type AppState = SourcesSlice &
  PipelinesSlice &
  BuildsSlice &
  BuildDetailSlice &
  ConnectionSlice;

/** The renderer's one store. Pushed events enter it only through `subscribe-events.ts`. */
export const useAppStore = create<AppState>()((...parts) => ({
  ...createSourcesSlice(...parts),
  ...createPipelinesSlice(...parts),
  ...createBuildsSlice(...parts),
  ...createBuildDetailSlice(...parts),
  ...createConnectionSlice(...parts),
}));

const initialState = useAppStore.getState();

/** Puts the store back to its first state (between tests). */
export function resetStore(): void {
  useAppStore.setState(initialState, true);
}
