import { memo } from 'react';
import type { StageSummary } from '../../../../shared/model';
import { elapsedMilliseconds, formatDuration } from '../../format/duration';
import { gateStateWords, statusClasses, statusText } from '../../format/status-words';
import type { GateMark } from '../../store/slices/matrix-slice';
import { StatusIcon } from '../common/status-icon';
import { useNow } from '../common/use-now';

/** Where a cell sits, for keyboard moves between cells. */
export type CellPlace = { row: number; column: number; active: boolean };

/**
 * "performance-tests: failed (4m12s)", "production: passed (1m05s) — approved by alice": a cell's
 * title. A stage still running has no duration yet; its cell shows it ticking.
 */
export function cellTitle(
  stage: Pick<StageSummary, 'name' | 'status' | 'startedAt' | 'finishedAt'> &
    Partial<Pick<StageSummary, 'statusDetail'>>,
  gate: GateMark | null,
): string {
  const took =
    stage.finishedAt === null ? null : elapsedMilliseconds(stage.startedAt, stage.finishedAt, 0);
  const duration = took === null ? '' : ` (${formatDuration(took)})`;
  const decided = gate && gate.state !== 'waiting' ? ` — ${lowerFirst(gateStateWords(gate))}` : '';
  return `${stage.name}: ${statusText(stage).toLowerCase()}${duration}${decided}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function LiveDuration({ startedAt }: { startedAt: string }) {
  const now = useNow();
  return <>{formatDuration(elapsedMilliseconds(startedAt, null, now) ?? 0)}</>;
}

function CellDuration({ stage }: { stage: StageSummary }) {
  if (stage.startedAt === null) return null;
  if (stage.finishedAt === null) return <LiveDuration startedAt={stage.startedAt} />;
  return <>{formatDuration(elapsedMilliseconds(stage.startedAt, stage.finishedAt, 0) ?? 0)}</>;
}

/** What a gate cell says under its icon: who decided, or that it waits. */
function gateLabel(stage: StageSummary, gate: GateMark | null): string | null {
  if (gate === null) return stage.status === 'waiting' ? 'Waiting' : null;
  switch (gate.state) {
    case 'waiting':
      return 'Waiting';
    case 'approved':
      return gate.decidedBy ?? 'Approved';
    case 'rejected':
      return gate.decidedBy ? `Rejected: ${gate.decidedBy}` : 'Rejected';
    case 'expired':
      return 'Expired';
  }
}

/** One cell: a stage of a build, coloured and shaped by status; a link to that stage. */
export const MatrixCell = memo(function MatrixCell({
  stage,
  stageName,
  href,
  isGateColumn,
  gate,
  place,
}: {
  stage: StageSummary | null;
  stageName: string;
  href: string | null;
  isGateColumn: boolean;
  gate: GateMark | null;
  place: CellPlace;
}) {
  const keyboard = {
    'data-row-index': place.row,
    'data-column-index': place.column,
    tabIndex: place.active ? 0 : -1,
  };
  if (stage === null || href === null) {
    return (
      <span
        className="matrix-cell matrix-cell--absent"
        data-testid="matrix-cell"
        data-stage={stageName}
        data-status="none"
        title={`${stageName}: not in this build`}
        {...keyboard}
      >
        <span aria-hidden="true">·</span>
        <span className="visually-hidden">{stageName}: not in this build</span>
      </span>
    );
  }
  const title = cellTitle(stage, gate);
  const label = isGateColumn ? gateLabel(stage, gate) : null;
  return (
    <a
      className={`matrix-cell ${statusClasses(stage)}${isGateColumn ? ' matrix-cell--gate' : ''}`}
      href={href}
      data-testid="matrix-cell"
      data-stage={stageName}
      data-status={stage.status}
      data-status-detail={stage.statusDetail ?? undefined}
      data-decided-by={gate?.decidedBy ?? undefined}
      title={title}
      aria-label={title}
      {...keyboard}
    >
      <span className="matrix-cell-icon">
        <StatusIcon status={stage.status} size={12} />
      </span>
      <span className="matrix-cell-text">{label ?? <CellDuration stage={stage} />}</span>
    </a>
  );
});
