import type { Gate, Stage } from '../../../../shared/model';
import { elapsedMilliseconds, formatDuration } from '../../format/duration';
import { gateStateWords } from '../../format/status-words';
import { StatusBadge } from '../common/status-badge';
import { useNow } from '../common/use-now';

function duration(startedAt: string | null, finishedAt: string | null, now: number): string {
  const took = elapsedMilliseconds(startedAt, finishedAt, now);
  return took === null ? '—' : formatDuration(took);
}

/** The clicked stage: its steps with status and duration. */
export function StageDetails({ stage, gate }: { stage: Stage; gate: Gate | null }) {
  const now = useNow();
  const steps = [...stage.steps].sort((a, b) => a.number - b.number);
  return (
    <section
      className="stage-details"
      aria-label={`Stage ${stage.name}`}
      data-testid="stage-details"
    >
      <header className="stage-details-head">
        <h3>{stage.name}</h3>
        <StatusBadge status={stage.status} />
        <span className="muted">{duration(stage.startedAt, stage.finishedAt, now)}</span>
        {gate ? <span className="gate-note">{gateStateWords(gate)}</span> : null}
        {gate?.comment ? <q className="gate-comment-text">{gate.comment}</q> : null}
      </header>
      {steps.length === 0 ? (
        <p className="muted">This stage reports no steps.</p>
      ) : (
        <ol className="step-list">
          {steps.map((step) => (
            <li
              key={step.id}
              className={`step status--${step.status}`}
              data-testid="step-row"
              data-status={step.status}
            >
              <span className="step-number">{step.number}</span>
              <span className="step-name">{step.name}</span>
              <StatusBadge status={step.status} />
              <span className="step-duration">
                {duration(step.startedAt, step.finishedAt, now)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
