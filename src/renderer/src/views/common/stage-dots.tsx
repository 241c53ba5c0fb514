import { memo } from 'react';
import type { StageSummary } from '../../../../shared/model';
import { elapsedMilliseconds, formatDuration } from '../../format/duration';
import { statusClasses, statusText } from '../../format/status-words';
import { StatusIcon } from './status-icon';

/** "performance-tests: failed (4m12s)" — the tooltip of one dot. */
export function stageDotTitle(stage: StageSummary, now: number): string {
  const took = elapsedMilliseconds(stage.startedAt, stage.finishedAt, now);
  const duration = took === null ? '' : ` (${formatDuration(took)})`;
  return `${stage.name}: ${statusText(stage).toLowerCase()}${duration}`;
}

/** One dot per stage in position order, coloured and shaped by status. */
export const StageDots = memo(function StageDots({
  stages,
  now,
}: {
  stages: readonly StageSummary[];
  now: number;
}) {
  const ordered = [...stages].sort((a, b) => a.position - b.position);
  return (
    <span className="stage-dots" role="list" aria-label="Stages">
      {ordered.map((stage) => (
        <span
          key={stage.id}
          role="listitem"
          className={`stage-dot ${statusClasses(stage)}${stage.isGate ? ' stage-dot--gate' : ''}`}
          data-testid="stage-dot"
          data-stage={stage.name}
          data-status={stage.status}
          title={stageDotTitle(stage, now)}
          aria-label={stageDotTitle(stage, now)}
        >
          <StatusIcon status={stage.status} size={10} />
        </span>
      ))}
    </span>
  );
});
