import type { StateCreator } from 'zustand';
import type { BuildSummary, GateState } from '../../../../shared/model';
import type { Status } from '../../../../shared/status';

/** The matrix's filters, passed to `builds/list` as they are. */
export type MatrixFilter = { branch: string | null; status: Status | null };

/** Who decided a build's gate, for the matrix's gate column. */
export type GateMark = {
  stageExternalId: string | null;
  state: GateState;
  decidedBy: string | null;
};

/** The build matrix of one pipeline: every build read so far, newest first. */
export type MatrixSlice = {
  matrixPipelineId: number | null;
  matrixFilter: MatrixFilter;
  matrixBuilds: BuildSummary[];
  matrixLoaded: boolean;
  /** The whole (filtered) history is loaded: there is nothing older to page to. */
  matrixComplete: boolean;
  matrixLoadingOlder: boolean;
  matrixError: string | null;
  /** Gate decisions by build id, read lazily for the rows on screen. */
  matrixGates: Readonly<Record<number, GateMark[]>>;
  /** Opens a pipeline's matrix with a filter; anything else loaded is dropped. */
  openMatrix(pipelineId: number | null, filter: MatrixFilter): void;
  /** The newest page, read again: replaces the top of the list, keeps older pages. */
  setMatrixNewest(query: MatrixQuery, page: BuildSummary[], limit: number): void;
  /** An older page (`before` the oldest loaded), appended. */
  appendMatrixOlder(query: MatrixQuery, page: BuildSummary[], limit: number): void;
  setMatrixLoadingOlder(query: MatrixQuery, loading: boolean): void;
  setMatrixError(query: MatrixQuery, message: string | null): void;
  setMatrixGates(buildId: number, marks: GateMark[]): void;
  /** Builds whose gates changed: their decisions are read again when next on screen. */
  forgetMatrixGates(buildIds: readonly number[]): void;
};

/** Which matrix a response was read for; stale answers (another pipeline or filter) are dropped. */
export type MatrixQuery = { pipelineId: number; filter: MatrixFilter };

/** True when a response read for `query` still belongs to what is open. */
export function isCurrentQuery(
  state: Pick<MatrixSlice, 'matrixPipelineId' | 'matrixFilter'>,
  query: MatrixQuery,
): boolean {
  return (
    state.matrixPipelineId === query.pipelineId &&
    state.matrixFilter.branch === query.filter.branch &&
    state.matrixFilter.status === query.filter.status
  );
}

/**
 * Merges a re-read newest page into the loaded builds: the page replaces every loaded build at
 * or above its oldest number, older loaded builds stay. A short page is the whole history.
 * Unchanged builds keep their objects, so only changed rows re-render. Pure.
 */
export function mergeNewest(
  loaded: readonly BuildSummary[],
  page: readonly BuildSummary[],
  limit: number,
): { builds: BuildSummary[]; complete: boolean | null } {
  const byId = new Map(loaded.map((build) => [build.id, build]));
  // Only the page is compared (one JSON per build on it), so a refresh costs the same with ten
  // thousand builds loaded as with fifty.
  const top = page.map((build) => {
    const old = byId.get(build.id);
    return old !== undefined && JSON.stringify(old) === JSON.stringify(build) ? old : build;
  });
  let builds: BuildSummary[];
  let complete: boolean | null = null;
  if (page.length < limit) {
    builds = top;
    complete = true;
  } else {
    const oldest = Math.min(...page.map((build) => build.number));
    const ids = new Set(page.map((build) => build.id));
    builds = [...top, ...loaded.filter((build) => build.number < oldest && !ids.has(build.id))];
  }
  const same =
    builds.length === loaded.length && builds.every((build, index) => build === loaded[index]);
  return { builds: same ? (loaded as BuildSummary[]) : builds, complete };
}

/** Appends an older page, skipping builds already loaded. Pure. */
export function appendOlder(
  loaded: readonly BuildSummary[],
  page: readonly BuildSummary[],
  limit: number,
): { builds: BuildSummary[]; complete: boolean } {
  const ids = new Set(loaded.map((build) => build.id));
  const fresh = page.filter((build) => !ids.has(build.id));
  return { builds: [...loaded, ...fresh], complete: page.length < limit };
}

const NO_FILTER: MatrixFilter = { branch: null, status: null };

/** The matrix slice. */
export const createMatrixSlice: StateCreator<MatrixSlice, [], [], MatrixSlice> = (set) => ({
  matrixPipelineId: null,
  matrixFilter: NO_FILTER,
  matrixBuilds: [],
  matrixLoaded: false,
  matrixComplete: false,
  matrixLoadingOlder: false,
  matrixError: null,
  matrixGates: {},
  openMatrix: (pipelineId, filter) =>
    set((state) => {
      if (pipelineId === null && state.matrixPipelineId === null) return state;
      if (pipelineId !== null && isCurrentQuery(state, { pipelineId, filter })) return state;
      const samePipeline = pipelineId !== null && state.matrixPipelineId === pipelineId;
      return {
        matrixPipelineId: pipelineId,
        matrixFilter: filter,
        matrixBuilds: [],
        matrixLoaded: false,
        matrixComplete: false,
        matrixLoadingOlder: false,
        matrixError: null,
        // Gate decisions do not depend on the filter.
        matrixGates: samePipeline ? state.matrixGates : {},
      };
    }),
  setMatrixNewest: (query, page, limit) =>
    set((state) => {
      if (!isCurrentQuery(state, query)) return state;
      const merged = mergeNewest(state.matrixBuilds, page, limit);
      return {
        matrixBuilds: merged.builds,
        matrixComplete: merged.complete ?? state.matrixComplete,
        matrixLoaded: true,
        matrixError: null,
      };
    }),
  appendMatrixOlder: (query, page, limit) =>
    set((state) => {
      if (!isCurrentQuery(state, query)) return state;
      const appended = appendOlder(state.matrixBuilds, page, limit);
      return { matrixBuilds: appended.builds, matrixComplete: appended.complete };
    }),
  setMatrixLoadingOlder: (query, loading) =>
    set((state) => (isCurrentQuery(state, query) ? { matrixLoadingOlder: loading } : state)),
  setMatrixError: (query, message) =>
    set((state) => (isCurrentQuery(state, query) ? { matrixError: message } : state)),
  setMatrixGates: (buildId, marks) =>
    set((state) => ({ matrixGates: { ...state.matrixGates, [buildId]: marks } })),
  forgetMatrixGates: (buildIds) =>
    set((state) => {
      const known = buildIds.filter((id) => state.matrixGates[id] !== undefined);
      if (known.length === 0) return state;
      const matrixGates = { ...state.matrixGates };
      for (const id of known) delete matrixGates[id];
      return { matrixGates };
    }),
});
