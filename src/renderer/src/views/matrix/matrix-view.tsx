import '../../styles/matrix.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useAppStore } from '../../store/app-store';
import { buildsNeedingGateMarks } from '../../store/matrix-loaders';
import type { MatrixFilter } from '../../store/slices/matrix-slice';
import { ErrorNotice } from '../common/error-notice';
import { useServices } from '../common/services';
import { PipelineHeader } from '../pipeline/pipeline-header';
import { findFirstFailure } from './first-failure';
import { jumpWords } from './jump-words';
import { matrixColumns, type MatrixColumn } from './matrix-columns';
import { MatrixGrid, type MatrixScroller } from './matrix-grid';
import { MatrixToolbar } from './matrix-toolbar';

const NO_FILTER: MatrixFilter = { branch: null, status: null };

/** Branches seen so far, remembered while a branch filter hides the others. */
function useKnownBranches(branches: readonly (string | null)[]): string[] {
  const [known, setKnown] = useState<readonly string[]>([]);
  const fresh = branches.filter(
    (branch): branch is string => branch !== null && !known.includes(branch),
  );
  if (fresh.length > 0) {
    const next = [...new Set([...known, ...fresh])].sort();
    setKnown(next);
    return next;
  }
  return [...known];
}

/**
 * `#/pipelines/:id/matrix`, the book's Figure 7-2: builds (newest first) by stages, through the
 * pipeline's whole stored history, with filters and a jump to the first failure since the last
 * green build.
 */
export function MatrixView({ pipelineId }: { pipelineId: number }) {
  const { loaders } = useServices();
  const builds = useAppStore((state) => state.matrixBuilds);
  const filter = useAppStore((state) => state.matrixFilter);
  const loaded = useAppStore((state) => state.matrixLoaded);
  const complete = useAppStore((state) => state.matrixComplete);
  const loadingOlder = useAppStore((state) => state.matrixLoadingOlder);
  const error = useAppStore((state) => state.matrixError);
  const gates = useAppStore((state) => state.matrixGates);
  // Refreshes bring new build objects but rarely new columns: keep the same array while the
  // columns stay the same, so memoized rows whose build did not change do not re-render.
  const columnsKey = useMemo(() => JSON.stringify(matrixColumns(builds)), [builds]);
  const columns = useMemo(() => JSON.parse(columnsKey) as MatrixColumn[], [columnsKey]);
  const branches = useKnownBranches(builds.map((build) => build.branch));
  const scroller = useRef<MatrixScroller | null>(null);
  const [target, setTarget] = useState<number | null>(null);
  const [jumping, setJumping] = useState(false);
  const [jumpAnswer, setJumpAnswer] = useState<string | null>(null);
  const [range, setRange] = useState({ start: 0, end: 0 });

  useEffect(() => {
    void loaders.openMatrix(pipelineId, NO_FILTER);
    return () => loaders.closeMatrix();
  }, [loaders, pipelineId]);

  useEffect(() => {
    const timer = setTimeout(() => {
      const wanted = buildsNeedingGateMarks(builds.slice(range.start, range.end));
      if (wanted.length > 0) void loaders.loadMatrixGates(wanted);
    }, 120);
    return () => clearTimeout(timer);
  }, [builds, range, loaders]);

  const onNearEnd = useCallback(() => void loaders.loadOlderMatrixBuilds(), [loaders]);
  const onVisibleRange = useCallback(
    (start: number, end: number) =>
      setRange((current) =>
        current.start === start && current.end === end ? current : { start, end },
      ),
    [],
  );

  function changeFilter(next: MatrixFilter): void {
    setTarget(null);
    setJumpAnswer(null);
    scroller.current?.scrollToRow(0);
    void loaders.openMatrix(pipelineId, next);
  }

  async function jump(): Promise<void> {
    setJumping(true);
    try {
      const answer = await findFirstFailure(
        () => {
          const state = useAppStore.getState();
          return {
            builds: state.matrixBuilds,
            complete: state.matrixComplete,
            error: state.matrixError,
          };
        },
        () => loaders.loadOlderMatrixBuilds(),
        (progress) => setJumpAnswer(jumpWords(progress)),
      );
      setJumpAnswer(jumpWords(answer));
      if (answer.kind === 'found') {
        setTarget(answer.build.id);
        const index = useAppStore.getState().matrixBuilds.indexOf(answer.build);
        if (index >= 0) scroller.current?.scrollToRow(index);
      } else {
        setTarget(null);
      }
    } finally {
      setJumping(false);
    }
  }

  return (
    <div className="matrix-screen">
      <PipelineHeader pipelineId={pipelineId} current="matrix" />
      <main className="matrix-page" data-testid="build-matrix">
        <MatrixToolbar
          filter={filter}
          branches={branches}
          onFilter={changeFilter}
          onJump={() => void jump()}
          jumping={jumping}
          jumpAnswer={jumpAnswer}
          loadedCount={builds.length}
          complete={complete}
        />
        <ErrorNotice title="The build history could not be read." message={error} />
        {loaded && builds.length === 0 ? (
          <p className="empty">
            {filter.branch !== null || filter.status !== null
              ? 'No build matches these filters.'
              : 'No builds yet.'}
          </p>
        ) : (
          <MatrixGrid
            builds={builds}
            columns={columns}
            gates={gates}
            complete={complete}
            loadingOlder={loadingOlder}
            targetBuildId={target}
            onNearEnd={onNearEnd}
            onVisibleRange={onVisibleRange}
            scrollerRef={scroller}
          />
        )}
      </main>
    </div>
  );
}
