import { useRef, useState, type KeyboardEvent } from 'react';
import type { Gate, Source, Stage, Step } from '../../../../shared/model';
import { formatClockTime } from '../../format/clock-time';
import { elapsedMilliseconds, formatDuration } from '../../format/duration';
import { gateStateWords } from '../../format/status-words';
import { hrefFor } from '../../routing/hash-route';
import { useServices } from '../common/services';
import { StatusBadge } from '../common/status-badge';
import { useNow } from '../common/use-now';
import { ActionButton, type ActionAnswer } from './action-button';
import { unavailableReason } from './build-actions';

function duration(startedAt: string | null, finishedAt: string | null, now: number): string {
  const took = elapsedMilliseconds(startedAt, finishedAt, now);
  return took === null ? '—' : formatDuration(took);
}

/** The step a person wants first: the failing one, else the one running, else none. */
export function defaultStep(steps: readonly Step[]): Step | null {
  return (
    steps.find((step) => step.status === 'failed') ??
    steps.find((step) => step.status === 'running') ??
    null
  );
}

/** Where a build is, for the links out of its stage details. */
export type BuildPlace = { pipelineId: number; buildId: number };

function logHref(place: BuildPlace, step: Step): string {
  return hrefFor({ view: 'log', ...place, stageId: step.stageId, stepId: step.id, line: null });
}

/** "Started 10:42:13 · finished 10:46:25" in the viewer's time. */
function StageTimes({ stage, now }: { stage: Stage; now: number }) {
  const started = formatClockTime(stage.startedAt, now);
  // A stage that finished the day it started needs only the time of day a second time.
  const finished = formatClockTime(stage.finishedAt, Date.parse(stage.startedAt ?? '') || now);
  if (started === null) return <span className="muted">Not started</span>;
  return (
    <span className="stage-times">
      Started <time dateTime={stage.startedAt ?? undefined}>{started}</time>
      {finished !== null ? (
        <>
          {' · finished '}
          <time dateTime={stage.finishedAt ?? undefined}>{finished}</time>
        </>
      ) : null}
    </span>
  );
}

/**
 * The selected stage: times, its link on the CI server, retry where the provider allows it, and
 * its steps with status and duration. The failing step is selected and links to its log.
 */
export function StageDetails({
  stage,
  gate,
  place,
  source,
}: {
  stage: Stage;
  gate: Gate | null;
  place: BuildPlace;
  source: Source | null;
}) {
  const { api, loaders } = useServices();
  const now = useNow();
  const steps = [...stage.steps].sort((a, b) => a.number - b.number);
  const [chosenStepId, setChosenStepId] = useState<number | null>(null);
  const selected = steps.find((step) => step.id === chosenStepId) ?? defaultStep(steps);
  const [answer, setAnswer] = useState<ActionAnswer | null>(null);
  const list = useRef<HTMLOListElement>(null);

  function move(event: KeyboardEvent<HTMLOListElement>): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const index = selected ? steps.indexOf(selected) : -1;
    const next = steps[event.key === 'ArrowDown' ? index + 1 : Math.max(0, index - 1)];
    if (!next) return;
    setChosenStepId(next.id);
    list.current?.querySelector<HTMLButtonElement>(`[data-step-id="${next.id}"]`)?.focus();
  }

  return (
    <section
      className="stage-details"
      aria-label={`Stage ${stage.name}`}
      data-testid="stage-details"
      data-stage={stage.name}
    >
      <header className="stage-details-head">
        <h3>{stage.name}</h3>
        <StatusBadge status={stage.status} detail={stage.statusDetail} />
        <span className="muted">{duration(stage.startedAt, stage.finishedAt, now)}</span>
        {gate ? <span className="gate-note">{gateStateWords(gate)}</span> : null}
        {gate?.comment ? <q className="gate-comment-text">{gate.comment}</q> : null}
        <span className="stage-details-actions">
          {stage.hasLog ? (
            <a
              className="button button--small"
              href={hrefFor({
                view: 'log',
                ...place,
                stageId: stage.id,
                stepId: null,
                line: null,
              })}
              data-testid="stage-log-link"
            >
              Stage log
            </a>
          ) : null}
          {stage.webUrl ? (
            <a
              className="button button--small"
              href={stage.webUrl}
              target="_blank"
              rel="noreferrer noopener"
              data-testid="stage-web-link"
            >
              Open on the CI server ↗
            </a>
          ) : null}
          <ActionButton
            label="Retry stage"
            unavailable={unavailableReason(source, ['retry-stage'], 'Retry')}
            run={() => api['stages/retry']({ stageId: stage.id })}
            onAnswer={(next) => {
              setAnswer(next);
              void loaders.loadBuildDetail(place.buildId);
            }}
            testId="stage-retry"
          />
        </span>
      </header>
      <p className="stage-details-meta">
        <StageTimes stage={stage} now={now} />
        {answer ? (
          <span className={`action-answer action-answer--${answer.tone}`} role="status">
            {answer.text}
          </span>
        ) : null}
      </p>
      {!stage.hasLog && steps.every((step) => !step.hasLog) && stage.startedAt !== null ? (
        <p className="muted" data-testid="no-logs-note">
          {source?.name ?? 'This CI server'} offers no logs for this stage through its API
          {stage.webUrl ? '; open it on the CI server to read them.' : '.'}
        </p>
      ) : null}
      {steps.length === 0 ? (
        <p className="muted">This stage reports no steps.</p>
      ) : (
        <ol className="step-list" ref={list} onKeyDown={move} aria-label="Steps">
          {steps.map((step) => {
            const isSelected = step.id === selected?.id;
            return (
              <li
                key={step.id}
                className={`step status--${step.status}${isSelected ? ' is-selected' : ''}`}
                data-testid="step-row"
                data-status={step.status}
                data-selected={isSelected ? 'true' : undefined}
              >
                <button
                  type="button"
                  className="step-select"
                  data-step-id={step.id}
                  aria-pressed={isSelected}
                  onClick={() => setChosenStepId(step.id)}
                >
                  <span className="step-number">{step.number}</span>
                  <span className="step-name">{step.name}</span>
                  <StatusBadge status={step.status} detail={step.statusDetail} />
                  <span className="step-duration">
                    {duration(step.startedAt, step.finishedAt, now)}
                  </span>
                </button>
                {step.hasLog ? (
                  <a
                    className={`step-log-link${isSelected ? ' button button--small' : ''}`}
                    href={logHref(place, step)}
                    data-testid="step-log-link"
                  >
                    {isSelected && step.status === 'failed' ? 'Open failing log' : 'Log'}
                  </a>
                ) : (
                  <span className="step-log-link muted" aria-hidden="true" />
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
