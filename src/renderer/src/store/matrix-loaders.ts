import type { ApiClient } from '../../../shared/contract';
import type { BuildSummary, Gate } from '../../../shared/model';
import { errorWords } from '../format/error-words';
import { useAppStore } from './app-store';
import type { GateMark, MatrixFilter, MatrixQuery } from './slices/matrix-slice';

/** Builds per page of the matrix: a few screens of rows. */
export const MATRIX_PAGE = 100;
/** `builds/list` answers at most this many builds at once. */
const MAX_LIMIT = 500;
/** Gate reads in flight at once, so scrolling fast does not flood the server. */
const GATE_READS_AT_ONCE = 3;

/** Reads the build matrix into the store: first page, older pages, refreshes, gate decisions. */
export type MatrixLoaders = {
  /** Opens a pipeline's matrix with a filter and reads its newest page. */
  openMatrix(pipelineId: number, filter: MatrixFilter): Promise<void>;
  /** Reads the page before the oldest build loaded; nothing when the history is complete. */
  loadOlderMatrixBuilds(): Promise<void>;
  /**
   * Reads the newest builds again after pushed changes, deep enough to cover every changed build
   * that is loaded (`changedBuildIds`), so an old build's late change shows too.
   */
  refreshMatrix(changedBuildIds?: ReadonlySet<number>): Promise<void>;
  /** Nothing is shown as a matrix any more: pushed events stop re-reading it. */
  closeMatrix(): void;
  /** Reads who decided the gates of these builds (those not read yet). */
  loadMatrixGates(buildIds: readonly number[]): Promise<void>;
};

function currentQuery(store: typeof useAppStore): MatrixQuery | null {
  const { matrixPipelineId, matrixFilter } = store.getState();
  return matrixPipelineId === null ? null : { pipelineId: matrixPipelineId, filter: matrixFilter };
}

function listInput(query: MatrixQuery, limit: number, before?: number) {
  return {
    pipelineId: query.pipelineId,
    limit,
    ...(before === undefined ? {} : { before }),
    ...(query.filter.branch === null ? {} : { branch: query.filter.branch }),
    ...(query.filter.status === null ? {} : { status: query.filter.status }),
  };
}

/** The marks the matrix's gate column shows, from a build's gates. */
export function gateMarks(gates: readonly Gate[]): GateMark[] {
  return gates.map((gate) => ({
    stageExternalId: gate.stageExternalId,
    state: gate.state,
    decidedBy: gate.decidedBy,
  }));
}

/**
 * Matrix loaders for one API client. A refresh asked for while one is in flight runs once more
 * after it, so a burst of events costs two reads; older pages are read one at a time.
 */
export function createMatrixLoaders(api: ApiClient, store = useAppStore): MatrixLoaders {
  let refreshing: Promise<void> | null = null;
  let refreshAgain: { promise: Promise<void>; changed: Set<number> } | null = null;
  let older: Promise<void> | null = null;
  const gateReads = new Set<number>();
  const gateQueue: number[] = [];
  let gateReaders = 0;

  async function readNewest(query: MatrixQuery, changed: ReadonlySet<number>): Promise<void> {
    const loaded = store.getState().matrixBuilds;
    let deepest = -1;
    loaded.forEach((build, index) => {
      if (changed.has(build.id)) deepest = index;
    });
    const limit = Math.min(MAX_LIMIT, Math.max(MATRIX_PAGE, deepest + 1));
    try {
      const page = await api['builds/list'](listInput(query, limit));
      const before = new Map(store.getState().matrixBuilds.map((build) => [build.id, build]));
      store.getState().setMatrixNewest(query, page, limit);
      const after = store.getState().matrixBuilds;
      const changedRows = after.filter((build) => {
        const old = before.get(build.id);
        return old !== undefined && old !== build;
      });
      store.getState().forgetMatrixGates(changedRows.map((build) => build.id));
    } catch (error) {
      store.getState().setMatrixError(query, errorWords(error));
    }
  }

  function refresh(changed: ReadonlySet<number>): Promise<void> {
    const query = currentQuery(store);
    if (query === null) return Promise.resolve();
    if (refreshing) {
      if (refreshAgain) {
        for (const id of changed) refreshAgain.changed.add(id);
        return refreshAgain.promise;
      }
      const again = new Set(changed);
      const promise = refreshing.then(() => {
        refreshAgain = null;
        return refresh(again);
      });
      refreshAgain = { promise, changed: again };
      return promise;
    }
    const running = readNewest(query, changed).finally(() => {
      refreshing = null;
    });
    refreshing = running;
    return running;
  }

  async function readOlder(): Promise<void> {
    const query = currentQuery(store);
    const state = store.getState();
    if (query === null || !state.matrixLoaded || state.matrixComplete) return;
    const oldest = state.matrixBuilds.at(-1);
    if (!oldest) return;
    state.setMatrixLoadingOlder(query, true);
    try {
      const page = await api['builds/list'](listInput(query, MATRIX_PAGE, oldest.number));
      store.getState().appendMatrixOlder(query, page, MATRIX_PAGE);
    } catch (error) {
      store.getState().setMatrixError(query, errorWords(error));
    } finally {
      store.getState().setMatrixLoadingOlder(query, false);
    }
  }

  async function readGates(): Promise<void> {
    gateReaders += 1;
    try {
      await drainGates();
    } finally {
      gateReaders -= 1;
    }
  }

  async function drainGates(): Promise<void> {
    while (gateQueue.length > 0) {
      const buildId = gateQueue.shift()!;
      try {
        const detail = await api['builds/get']({ buildId });
        store.getState().setMatrixGates(buildId, gateMarks(detail.gates));
      } catch {
        // A gate that cannot be read shows as its stage status; it is asked again when it changes.
        store.getState().setMatrixGates(buildId, []);
      } finally {
        gateReads.delete(buildId);
      }
    }
  }

  return {
    openMatrix: (pipelineId, filter) => {
      store.getState().openMatrix(pipelineId, filter);
      return refresh(new Set());
    },
    loadOlderMatrixBuilds: () => {
      older ??= readOlder().finally(() => {
        older = null;
      });
      return older;
    },
    refreshMatrix: (changedBuildIds = new Set()) => refresh(changedBuildIds),
    closeMatrix: () => store.getState().openMatrix(null, { branch: null, status: null }),
    loadMatrixGates: async (buildIds) => {
      const known = store.getState().matrixGates;
      const wanted = buildIds.filter((id) => known[id] === undefined && !gateReads.has(id));
      for (const id of wanted) {
        gateReads.add(id);
        gateQueue.push(id);
      }
      const workers = Math.max(0, Math.min(GATE_READS_AT_ONCE - gateReaders, gateQueue.length));
      await Promise.all(Array.from({ length: workers }, () => readGates()));
    },
  };
}

/** The builds whose gate was passed or stopped, so the gate column should say who decided. */
export function buildsNeedingGateMarks(builds: readonly BuildSummary[]): number[] {
  return builds
    .filter((build) =>
      build.stages.some(
        (stage) =>
          stage.isGate &&
          (stage.status === 'success' ||
            stage.status === 'running' ||
            stage.status === 'failed' ||
            stage.status === 'cancelled'),
      ),
    )
    .map((build) => build.id);
}
