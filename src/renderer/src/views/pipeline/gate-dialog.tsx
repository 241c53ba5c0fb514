import { useEffect, useRef, useState } from 'react';
import type { Build, Decision, DecisionResult, Gate } from '../../../../shared/model';
import { newRequestId } from '../../api/request-id';
import { decisionWords } from '../../format/decision-words';
import { errorWords } from '../../format/error-words';
import { useServices } from '../common/services';

type GateDialogProps = {
  pipelineName: string;
  build: Build;
  gate: Gate;
  decision: Decision;
  passedStages: readonly string[];
  onClose(): void;
  onDecided(answer: { result: DecisionResult } | { error: string }): void;
};

/**
 * Confirms one decision. The request id is made once per dialog, so a second click (or a retry
 * after a lost answer) repeats the same request and the server decides at most once.
 */
export function GateDialog(props: GateDialogProps) {
  const { pipelineName, build, gate, decision, passedStages, onClose, onDecided } = props;
  const { api } = useServices();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [requestId] = useState(newRequestId);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const sendingRef = useRef(false);
  const words = decisionWords(pipelineName, build, gate, decision);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  async function confirm(): Promise<void> {
    if (sendingRef.current) return;
    sendingRef.current = true;
    setSending(true);
    try {
      const result = await api['gates/decide']({ gateId: gate.id, decision, comment, requestId });
      onDecided({ result });
    } catch (error) {
      onDecided({ error: errorWords(error) });
    } finally {
      sendingRef.current = false;
      setSending(false);
    }
  }

  return (
    <dialog
      ref={dialogRef}
      className={`gate-dialog gate-dialog--${decision}`}
      aria-labelledby="gate-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        if (!sending) onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          void confirm();
        }}
      >
        <h2 id="gate-dialog-title">{words.title}</h2>
        <p className="gate-dialog-sentence" data-testid="gate-sentence">
          {words.sentence}
        </p>
        {passedStages.length > 0 ? (
          <p className="muted">It passed {passedStages.join(', ')}.</p>
        ) : null}
        {gate.approvers.length > 0 ? (
          <p className="muted">Approvers: {gate.approvers.join(', ')}</p>
        ) : null}
        {gate.canDecide === false ? (
          <p className="notice notice--warning">
            The CI server says your token may not decide this gate; it will answer if you try.
          </p>
        ) : null}
        <label className="field">
          <span>Comment (optional)</span>
          <textarea
            data-testid="gate-comment"
            value={comment}
            maxLength={10_000}
            rows={3}
            onChange={(event) => setComment(event.target.value)}
            disabled={sending}
          />
        </label>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose} disabled={sending}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${decision === 'approve' ? 'button--primary' : 'button--danger'}`}
            data-testid="gate-confirm"
            disabled={sending}
            aria-busy={sending}
          >
            {sending ? 'Sending…' : words.confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}
