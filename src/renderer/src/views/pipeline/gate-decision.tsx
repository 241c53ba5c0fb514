import { useState } from 'react';
import type { BuildDetail, Decision, Gate } from '../../../../shared/model';
import { decisionResultWords } from '../../format/decision-words';
import { elapsedMilliseconds, formatDuration } from '../../format/duration';
import { StatusIcon } from '../common/status-icon';
import { useServices } from '../common/services';
import { useNow } from '../common/use-now';
import { GateDialog } from './gate-dialog';

/** The server's answer to one decision, kept after the gate stops waiting. */
type Answer = { text: string; tone: 'success' | 'error' };

/** A waiting gate of the open build, with Approve and Reject behind a confirmation. */
function WaitingGate({
  detail,
  gate,
  onAnswer,
}: {
  detail: BuildDetail;
  gate: Gate;
  onAnswer(answer: Answer | null): void;
}) {
  const { loaders } = useServices();
  const [decision, setDecision] = useState<Decision | null>(null);
  const passed = [...detail.stages]
    .sort((a, b) => a.position - b.position)
    .filter((stage) => stage.status === 'success')
    .map((stage) => stage.name);
  const target = gate.environment ?? gate.name;
  const now = useNow();
  const waited = elapsedMilliseconds(gate.waitingSince, null, now);
  const open = (next: Decision): void => {
    onAnswer(null);
    setDecision(next);
  };
  return (
    <div className="gate-panel" data-testid="gate-panel" data-gate={gate.name}>
      <div className="gate-panel-text">
        <StatusIcon status="waiting" />
        <span>
          {gate.environment ? (
            <>
              Deploy to <strong>{target}</strong>?
            </>
          ) : (
            <>
              <strong>{target}</strong> needs a decision.
            </>
          )}
          {gate.approvers.length > 0 ? (
            <span className="muted"> Approvers: {gate.approvers.join(', ')}.</span>
          ) : null}
          {waited !== null ? (
            <span className="muted"> Waiting for {formatDuration(waited)}.</span>
          ) : null}
        </span>
      </div>
      <div className="gate-panel-actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="gate-approve"
          onClick={() => open('approve')}
          disabled={decision !== null}
        >
          Approve
        </button>
        <button
          type="button"
          className="button button--danger-outline"
          data-testid="gate-reject"
          onClick={() => open('reject')}
          disabled={decision !== null}
        >
          Reject
        </button>
      </div>
      {decision ? (
        <GateDialog
          pipelineName={detail.pipeline.name}
          build={detail.build}
          gate={gate}
          decision={decision}
          passedStages={passed}
          onClose={() => setDecision(null)}
          onDecided={(outcome) => {
            setDecision(null);
            if ('error' in outcome) {
              onAnswer({ text: outcome.error, tone: 'error' });
            } else {
              const tone = outcome.result.outcome === 'done' ? 'success' : 'error';
              onAnswer({ text: decisionResultWords(outcome.result, decision), tone });
            }
            void loaders.loadBuildDetail(detail.build.id);
            void loaders.loadPipelines();
          }}
        />
      ) : null}
    </div>
  );
}

/** Every gate of the build waiting for a person, and the answers to decisions made here. */
export function GateDecision({ detail }: { detail: BuildDetail }) {
  const [answers, setAnswers] = useState<ReadonlyMap<number, Answer>>(new Map());
  const waiting = detail.gates.filter((gate) => gate.state === 'waiting');
  if (waiting.length === 0 && answers.size === 0) return null;
  const setAnswer = (gateId: number, answer: Answer | null): void =>
    setAnswers((current) => {
      const next = new Map(current);
      if (answer === null) next.delete(gateId);
      else next.set(gateId, answer);
      return next;
    });
  return (
    <section className="gates" aria-label="Gates">
      {waiting.map((gate) => (
        <WaitingGate
          key={gate.id}
          detail={detail}
          gate={gate}
          onAnswer={(answer) => setAnswer(gate.id, answer)}
        />
      ))}
      {[...answers].map(([gateId, answer]) => (
        <p
          key={gateId}
          className={`gate-result gate-result--${answer.tone}`}
          data-testid="gate-result"
          role="status"
        >
          {answer.text}
        </p>
      ))}
    </section>
  );
}
