import { memo, useMemo } from 'react';
import type { BuildSummary } from '../../../../shared/model';
import { isFinished } from '../../../../shared/status';
import { ageOf } from '../../format/duration';
import { shortSha, statusClasses, statusText } from '../../format/status-words';
import { propagateBlocked } from '../../graph/blocked';
import { hrefFor } from '../../routing/hash-route';
import type { GateMark } from '../../store/slices/matrix-slice';
import { StatusIcon } from '../common/status-icon';
import { useNow } from '../common/use-now';
import { MatrixCell } from './matrix-cell';
import { stagesByName, type MatrixColumn } from './matrix-columns';

/** "3h ago", ticking on its own so the row around it does not re-render every second. */
function Age({ time }: { time: string }) {
  const now = useNow();
  return (
    <time className="matrix-age" dateTime={time}>
      {ageOf(time, now)}
    </time>
  );
}

/** The gate mark for a stage of a build: the one tied to it, else the build's only gate. */
function gateFor(marks: readonly GateMark[] | undefined, externalId: string): GateMark | null {
  if (!marks || marks.length === 0) return null;
  return (
    marks.find((mark) => mark.stageExternalId === externalId) ??
    marks.find((mark) => mark.stageExternalId === null) ??
    null
  );
}

/** One build of the matrix: its facts on the left, then one cell per column. */
export const MatrixRow = memo(function MatrixRow({
  build,
  columns,
  gates,
  rowIndex,
  activeColumn,
  isTarget,
}: {
  build: BuildSummary;
  columns: readonly MatrixColumn[];
  gates: readonly GateMark[] | undefined;
  rowIndex: number;
  /** The column holding keyboard focus when this row has it, else null. */
  activeColumn: number | null;
  isTarget: boolean;
}) {
  // A stage that never ran after a failure reads as blocked here as it does in the graph.
  const byName = useMemo(
    () => stagesByName(propagateBlocked(build.stages, isFinished(build.status))),
    [build.stages, build.status],
  );
  const sha = shortSha(build.commitSha);
  const buildHref = hrefFor({ view: 'pipeline', pipelineId: build.pipelineId, buildId: build.id });
  return (
    <div
      className={`matrix-row${isTarget ? ' is-target' : ''}`}
      role="row"
      aria-rowindex={rowIndex + 2}
      data-testid="matrix-row"
      data-build-number={build.number}
      data-status={build.status}
      data-target={isTarget ? 'true' : undefined}
    >
      <div className="matrix-build" role="rowheader">
        <a
          className={`matrix-number ${statusClasses(build)}`}
          href={buildHref}
          title={`Build ${build.number}: ${statusText(build).toLowerCase()}`}
          data-row-index={rowIndex}
          data-column-index={0}
          tabIndex={activeColumn === 0 ? 0 : -1}
        >
          <StatusIcon status={build.status} size={12} />
          <span>#{build.number}</span>
        </a>
        <code className="matrix-sha" title={build.commitMessage ?? undefined}>
          {sha ?? '—'}
        </code>
        <span className="matrix-author" title={build.author ?? undefined}>
          {build.author ?? '—'}
        </span>
        <span className="matrix-branch-cell">
          {build.branch ? (
            <span className="build-branch" title={build.branch}>
              {build.branch}
            </span>
          ) : null}
        </span>
        <Age time={build.startedAt ?? build.createdAt} />
      </div>
      {columns.map((column, index) => {
        const stage = byName.get(column.name) ?? null;
        return (
          <div key={column.name} role="gridcell" className="matrix-slot">
            <MatrixCell
              stage={stage}
              stageName={column.name}
              href={
                stage === null
                  ? null
                  : hrefFor({
                      view: 'pipeline',
                      pipelineId: build.pipelineId,
                      buildId: build.id,
                      stageId: stage.id,
                    })
              }
              isGateColumn={column.isGate}
              gate={column.isGate && stage ? gateFor(gates, stage.externalId) : null}
              place={{ row: rowIndex, column: index + 1, active: activeColumn === index + 1 }}
            />
          </div>
        );
      })}
    </div>
  );
});
