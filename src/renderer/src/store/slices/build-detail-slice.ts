import type { StateCreator } from 'zustand';
import type { BuildDetail } from '../../../../shared/model';

/** The one build shown as a graph, with stages, steps and gates. */
export type BuildDetailSlice = {
  openBuildId: number | null;
  buildDetail: BuildDetail | null;
  buildDetailError: string | null;
  /** Opens a build; the previous build's detail is dropped so it is never shown by mistake. */
  openBuild(buildId: number | null): void;
  /** Ignored unless the detail is of the open build. */
  setBuildDetail(detail: BuildDetail): void;
  setBuildDetailError(buildId: number, message: string | null): void;
};

/** The build detail slice. */
export const createBuildDetailSlice: StateCreator<BuildDetailSlice, [], [], BuildDetailSlice> = (
  set,
) => ({
  openBuildId: null,
  buildDetail: null,
  buildDetailError: null,
  openBuild: (buildId) =>
    set((state) =>
      state.openBuildId === buildId
        ? state
        : { openBuildId: buildId, buildDetail: null, buildDetailError: null },
    ),
  setBuildDetail: (detail) =>
    set((state) =>
      state.openBuildId === detail.build.id
        ? { buildDetail: detail, buildDetailError: null }
        : state,
    ),
  setBuildDetailError: (buildId, message) =>
    set((state) => (state.openBuildId === buildId ? { buildDetailError: message } : state)),
});
