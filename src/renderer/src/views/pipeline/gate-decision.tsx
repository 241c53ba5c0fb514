import { useState } from 'react';
import type { BuildDetail, Decision, Gate } from '../../../../shared/model';
import { elapsedMilliseconds, formatDuration } from '../../format/duration';
import { evidenceOf } from '../../format/gate-facts';
import { useSourceKind } from '../../store/approval-selectors';
import { StatusIcon } from '../common/status-icon';
import { useServices } from '../common/services';
import { useNow } from '../common/use-now';
import { answerOf, DecisionAnswerLine, type DecisionAnswer } from './decision-answer';
import { GateDialog } from './gate-dialog';

/** A waiting gate of the open build, with Approve and Reject behind a confirmation. */
function WaitingGate({
  detail,
  gate,
  onAnswer,
  onDialog,
}: {
  detail: BuildDetail;
  gate: Gate;
  onAnswer(answer: DecisionAnswer | null): void;
  /** The confirmation opened or closed. */
  onDialog(open: boolean): void;
}) {
  const { loaders } = useServices();
  const sourceKind = useSourceKind(detail.pipeline.sourceId);
  const [decision, setDecision] = useState<Decision | null>(null);
  const target = gate.environment ?? gate.name;
  const now = useNow();
  const waited = elapsedMilliseconds(gate.waitingSince, null, now);
  const open = (next: Decision): void => {
    onAnswer(null);
    setDecision(next);
    onDialog(true);
  };
  const close = (): void => {
    setDecision(null);
    onDialog(false);
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
          sourceKind={sourceKind}
          build={detail.build}
          gate={gate}
          decision={decision}
          passedStages={evidenceOf(detail.stages)}
          onClose={close}
          onDecided={(outcome) => {
            close();
            onAnswer(answerOf(outcome, decision));
            void loaders.loadBuildDetail(detail.build.id);
            void loaders.loadPipelines();
            void loaders.loadInbox();
          }}
        />
      ) : null}
    </div>
  );
}

/** Every gate of the build waiting for a person, and the answers to decisions made here. */
export function GateDecision({ detail }: { detail: BuildDetail }) {
  const [answers, setAnswers] = useState<ReadonlyMap<number, DecisionAnswer>>(new Map());
  // A gate decided elsewhere while its confirmation is open stays until the dialog closes, so
  // the person still gets the server's answer ("already approved by …") instead of a vanishing
  // dialog.
  const [deciding, setDeciding] = useState<ReadonlySet<number>>(new Set());
  const waiting = detail.gates.filter((gate) => gate.state === 'waiting' || deciding.has(gate.id));
  if (waiting.length === 0 && answers.size === 0) return null;
  const setDialog = (gateId: number, open: boolean): void =>
    setDeciding((current) => {
      const next = new Set(current);
      if (open) next.add(gateId);
      else next.delete(gateId);
      return next;
    });
  const setAnswer = (gateId: number, answer: DecisionAnswer | null): void =>
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
          onDialog={(open) => setDialog(gate.id, open)}
        />
      ))}
      {[...answers].map(([gateId, answer]) => (
        <DecisionAnswerLine key={gateId} answer={answer} />
      ))}
    </section>
  );
}
