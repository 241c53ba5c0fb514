import { create } from 'zustand';
import { createAuditSlice, type AuditSlice } from './slices/audit-slice';
import { createBuildDetailSlice, type BuildDetailSlice } from './slices/build-detail-slice';
import { createBuildsSlice, type BuildsSlice } from './slices/builds-slice';
import { createConnectionSlice, type ConnectionSlice } from './slices/connection-slice';
import { createInboxSlice, type InboxSlice } from './slices/inbox-slice';
import { createMatrixSlice, type MatrixSlice } from './slices/matrix-slice';
import { createPipelinesSlice, type PipelinesSlice } from './slices/pipelines-slice';
import { createSourcesSlice, type SourcesSlice } from './slices/sources-slice';

/** Everything the renderer knows, as one store of typed slices. */
export type AppState = SourcesSlice &
  PipelinesSlice &
  BuildsSlice &
  BuildDetailSlice &
  ConnectionSlice &
  InboxSlice &
  AuditSlice &
  MatrixSlice;

/** The renderer's one store. Pushed events enter it only through `subscribe-events.ts`. */
export const useAppStore = create<AppState>()((...parts) => ({
  ...createSourcesSlice(...parts),
  ...createPipelinesSlice(...parts),
  ...createBuildsSlice(...parts),
  ...createBuildDetailSlice(...parts),
  ...createConnectionSlice(...parts),
  ...createInboxSlice(...parts),
  ...createAuditSlice(...parts),
  ...createMatrixSlice(...parts),
}));

const initialState = useAppStore.getState();

/** Puts the store back to its first state (between tests). */
export function resetStore(): void {
  useAppStore.setState(initialState, true);
}
