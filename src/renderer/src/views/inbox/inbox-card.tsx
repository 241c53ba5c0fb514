import { memo, useState } from 'react';
import type { Decision, InboxItem } from '../../../../shared/model';
import { elapsedMilliseconds, formatDuration } from '../../format/duration';
import {
  evidenceOf,
  gateDeadline,
  isDeadlineNear,
  mayDecideWords,
  timeLeftWords,
} from '../../format/gate-facts';
import { shortSha } from '../../format/status-words';
import { hrefFor } from '../../routing/hash-route';
import { useSourceKind } from '../../store/approval-selectors';
import { StatusIcon } from '../common/status-icon';
import { useNow } from '../common/use-now';
import { answerOf, type DecisionAnswer } from '../pipeline/decision-answer';
import { GateDialog } from '../pipeline/gate-dialog';

type InboxCardProps = {
  item: InboxItem;
  /** Called with the server's answer once a decision made here comes back. */
  onAnswer(gateId: number, label: string, answer: DecisionAnswer, settled: boolean): void;
  /** The confirmation opened or closed; the inbox keeps the card while it is open. */
  onDialog(item: InboxItem, open: boolean): void;
};

/**
 * One waiting gate with the evidence a person needs: the candidate (pipeline, build, commit),
 * the target, how long it waited and when it expires, what it passed, and whether the provider
 * lets you decide. Approve and Reject open the same confirmation as the build view.
 */
export const InboxCard = memo(function InboxCard({ item, onAnswer, onDialog }: InboxCardProps) {
  const { gate, build, pipeline } = item;
  const now = useNow();
  const kind = useSourceKind(pipeline.sourceId);
  const [decision, setDecision] = useState<Decision | null>(null);
  const evidence = evidenceOf(item.passedStages);
  const waited = elapsedMilliseconds(gate.waitingSince, null, now);
  const deadline = gateDeadline(gate, kind);
  const mayDecide = mayDecideWords(gate.canDecide);
  const sha = shortSha(build.commitSha);
  const buildHref = hrefFor({ view: 'pipeline', pipelineId: pipeline.id, buildId: build.id });
  const open = (next: Decision): void => {
    setDecision(next);
    onDialog(item, true);
  };
  const close = (): void => {
    setDecision(null);
    onDialog(item, false);
  };
  return (
    <li
      className="inbox-item"
      data-testid="inbox-item"
      data-gate-id={gate.id}
      data-build-number={build.number}
    >
      <div className="inbox-item-head">
        <span className="inbox-item-icon">
          <StatusIcon status="waiting" />
        </span>
        <h2 className="inbox-item-title">
          <a href={buildHref}>
            {pipeline.name} <span className="inbox-build-number">#{build.number}</span>
          </a>
        </h2>
        <span className="inbox-target" data-testid="inbox-target">
          {gate.environment ? (
            <>
              to <strong>{gate.environment}</strong>
            </>
          ) : (
            <strong>{gate.name}</strong>
          )}
        </span>
        <span className="pipeline-source">
          {item.sourceName}
          {item.isDemo ? <span className="demo-badge">Demo</span> : null}
        </span>
        <span className={`may-decide may-decide--${mayDecide.tone}`} data-testid="inbox-may-decide">
          {mayDecide.text}
        </span>
      </div>

      <p className="inbox-commit">
        {build.commitMessage ? (
          <span className="inbox-commit-message" title={build.commitMessage}>
            {build.commitMessage.split('\n')[0]}
          </span>
        ) : (
          <span className="muted">No commit message</span>
        )}
        {build.author ? <span className="inbox-commit-author">{build.author}</span> : null}
        {sha ? <code className="build-sha">{sha}</code> : null}
        {build.branch ? <span className="build-branch">{build.branch}</span> : null}
      </p>

      <p className="inbox-timing">
        {waited !== null ? (
          <span data-testid="inbox-waited">Waiting {formatDuration(waited)}</span>
        ) : (
          <span>Waiting</span>
        )}
        {deadline !== null ? (
          <span
            className={`inbox-deadline${isDeadlineNear(deadline.at, now) ? ' inbox-deadline--near' : ''}`}
            data-testid="inbox-deadline"
            title={
              deadline.source === 'github-30-days'
                ? 'GitHub fails a run that waits for a review for 30 days'
                : new Date(deadline.at).toLocaleString()
            }
          >
            {timeLeftWords(deadline.at, now)}
          </span>
        ) : (
          <span className="muted">no deadline given</span>
        )}
        {gate.approvers.length > 0 ? (
          <span className="muted">Approvers: {gate.approvers.join(', ')}</span>
        ) : null}
      </p>

      {evidence.length > 0 ? (
        <ol className="inbox-evidence" aria-label="Passed stages" data-testid="inbox-evidence">
          {evidence.map((stage) => (
            <li key={stage.name} className="evidence-stage" data-stage={stage.name}>
              <StatusIcon status="success" size={12} />
              <span>{stage.name}</span>
              {stage.duration ? <span className="evidence-duration">{stage.duration}</span> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted inbox-evidence-none">No stage has passed yet.</p>
      )}
      {gate.detail ? <p className="inbox-detail">{gate.detail}</p> : null}

      <div className="inbox-actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="inbox-approve"
          onClick={() => open('approve')}
          disabled={decision !== null}
        >
          Approve…
        </button>
        <button
          type="button"
          className="button button--danger-outline"
          data-testid="inbox-reject"
          onClick={() => open('reject')}
          disabled={decision !== null}
        >
          Reject…
        </button>
      </div>
      {decision ? (
        <GateDialog
          pipelineName={pipeline.name}
          sourceKind={kind}
          build={build}
          gate={gate}
          decision={decision}
          passedStages={evidence}
          onClose={close}
          onDecided={(outcome) => {
            close();
            // Done, decided by someone else, or expired: it no longer waits either way.
            const settled =
              'result' in outcome &&
              ['done', 'already-decided', 'expired'].includes(outcome.result.outcome);
            const label = `${pipeline.name} #${build.number} (${gate.environment ?? gate.name})`;
            onAnswer(gate.id, label, answerOf(outcome, decision), settled);
          }}
        />
      ) : null}
    </li>
  );
});
