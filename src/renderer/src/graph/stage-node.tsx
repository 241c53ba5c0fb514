import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { Status } from '../../../shared/status';
import { elapsedMilliseconds, formatDuration } from '../format/duration';
import { gateStateWords, statusClasses, statusText, statusWord } from '../format/status-words';
import { StatusIcon } from '../views/common/status-icon';
import { useNow } from '../views/common/use-now';
import { STAGE_NODE_SIZE } from './layout';
import type { StageFlowNode } from './to-flow';

/** The size the layout assumes, so drawing and layout cannot drift apart. */
const NODE_STYLE = { width: STAGE_NODE_SIZE.width, height: STAGE_NODE_SIZE.height };

/** "3/4" — finished steps out of all, or null when the provider reports none. */
export function stepProgress(
  steps: readonly { status: string }[],
): { text: string; words: string } | null {
  if (steps.length === 0) return null;
  const done = steps.filter((step) => step.status === 'success' || step.status === 'skipped');
  return {
    text: `${done.length}/${steps.length}`,
    words: `${done.length} of ${steps.length} steps done`,
  };
}

/** "1 failed", "18/20" — how a matrix of jobs is doing, with every status in the title. */
export function groupProgress(group: {
  members: readonly unknown[];
  counts: Partial<Record<Status, number>>;
}): { text: string; words: string } {
  const total = group.members.length;
  const failed = group.counts.failed ?? 0;
  const passed = group.counts.success ?? 0;
  const words = Object.entries(group.counts)
    .map(([status, count]) => `${count} ${statusWord(status as Status).toLowerCase()}`)
    .join(', ');
  return {
    text: failed > 0 ? `${failed} failed` : `${passed}/${total}`,
    words: `${total} jobs: ${words}`,
  };
}

/** A running stage's duration ticks; a finished one's does not re-render every second. */
function LiveDuration({ startedAt }: { startedAt: string }) {
  const now = useNow();
  return <>{formatDuration(elapsedMilliseconds(startedAt, null, now) ?? 0)}</>;
}

function StageDuration({
  startedAt,
  finishedAt,
}: {
  startedAt: string | null;
  finishedAt: string | null;
}) {
  if (startedAt === null) return null;
  if (finishedAt === null) return <LiveDuration startedAt={startedAt} />;
  return <>{formatDuration(elapsedMilliseconds(startedAt, finishedAt, 0) ?? 0)}</>;
}

/** One stage of the build graph: name, status (colour, icon, word), duration, steps, gate. */
export const StageNode = memo(function StageNode({ data }: NodeProps<StageFlowNode>) {
  const { stage, gate, selected, emphasis, group } = data;
  const progress = group ? groupProgress(group) : stepProgress(stage.steps);
  const isGate = stage.isGate || gate !== null;
  const classes = [
    'stage-node',
    statusClasses(stage),
    isGate ? 'stage-node--gate' : '',
    gate ? `gate--${gate.state}` : '',
    selected ? 'stage-node--selected' : '',
    emphasis ? `stage-node--${emphasis}` : '',
    group ? 'stage-node--group' : '',
  ];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-testid="stage-node"
      data-group-size={group ? group.members.length : undefined}
      data-stage={stage.name}
      data-status={stage.status}
      data-status-detail={stage.statusDetail ?? undefined}
      data-failure-path={emphasis === 'failed' || emphasis === 'path' ? 'true' : undefined}
      style={NODE_STYLE}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="stage-node-head">
        <span className="stage-node-icon">
          <StatusIcon status={stage.status} size={14} />
        </span>
        <span className="stage-node-name" title={stage.name}>
          {stage.name}
        </span>
        {group ? (
          <span className="stage-node-count" title={`${group.members.length} matrix jobs`}>
            ×{group.members.length}
          </span>
        ) : null}
      </div>
      <div className="stage-node-facts">
        <span className="stage-node-status">{statusText(stage)}</span>
        <span className="stage-node-duration">
          <StageDuration startedAt={stage.startedAt} finishedAt={stage.finishedAt} />
        </span>
        {progress ? (
          <span className="stage-node-steps" title={progress.words} aria-label={progress.words}>
            {progress.text}
          </span>
        ) : null}
      </div>
      {isGate ? (
        <div className="stage-node-gate">
          <span className="gate-mark" aria-hidden="true">
            ◆
          </span>
          {gate ? gateStateWords(gate) : 'Manual gate'}
        </div>
      ) : null}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});
