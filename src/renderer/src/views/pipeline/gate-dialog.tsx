import { useEffect, useRef, useState } from 'react';
import type { Build, Decision, DecisionResult, Gate, SourceKind } from '../../../../shared/model';
import { newRequestId } from '../../api/request-id';
import {
  fieldsToSend,
  initialFieldValues,
  validateDecisionForm,
  type FieldValues,
} from '../../format/decision-form';
import { decisionWords } from '../../format/decision-words';
import { errorWords } from '../../format/error-words';
import { commentRule, mayDecideWords, type Evidence } from '../../format/gate-facts';
import { useServices } from '../common/services';
import { GateFields } from './gate-fields';

type GateDialogProps = {
  pipelineName: string;
  /** Decides whether a comment is required (GitHub requires one); null while unknown. */
  sourceKind: SourceKind | null;
  build: Build;
  gate: Gate;
  decision: Decision;
  /** What the candidate passed, shown as the evidence for the decision. */
  passedStages: readonly Evidence[];
  onClose(): void;
  onDecided(answer: { result: DecisionResult } | { error: string }): void;
};

/**
 * Confirms one decision, from the build view and from the inbox alike. The request id is made
 * once per dialog, so a second click (or a retry after a lost answer) repeats the same request
 * and the server decides at most once. Required inputs are checked as the person types.
 */
export function GateDialog(props: GateDialogProps) {
  const { pipelineName, sourceKind, build, gate, decision, passedStages, onClose, onDecided } =
    props;
  const { api } = useServices();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [requestId] = useState(newRequestId);
  const [comment, setComment] = useState('');
  const [values, setValues] = useState<FieldValues>(() => initialFieldValues(gate.fields));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [sending, setSending] = useState(false);
  const sendingRef = useRef(false);
  const words = decisionWords(pipelineName, build, gate, decision);
  const rule = commentRule(sourceKind);
  const fields = decision === 'approve' ? gate.fields : [];
  const errors = validateDecisionForm({
    decision,
    fields,
    values,
    comment,
    commentRequired: rule.required,
  });
  const missing = Object.keys(errors);
  const shownErrors = Object.fromEntries(
    Object.entries(errors).filter(([name]) => touched.has(name)),
  );
  const touch = (name: string): void =>
    setTouched((current) => (current.has(name) ? current : new Set([...current, name])));
  const mayDecide = mayDecideWords(gate.canDecide);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  async function confirm(): Promise<void> {
    if (sendingRef.current) return;
    if (missing.length > 0) {
      setTouched(new Set(missing));
      return;
    }
    sendingRef.current = true;
    setSending(true);
    try {
      const result = await api['gates/decide']({
        gateId: gate.id,
        decision,
        comment,
        requestId,
        fields: fieldsToSend(decision, fields, values),
      });
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
      data-testid="gate-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!sending) onClose();
      }}
    >
      <form
        method="dialog"
        noValidate
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
          <p className="muted" data-testid="gate-evidence">
            It passed{' '}
            {passedStages
              .map((stage) => (stage.duration ? `${stage.name} (${stage.duration})` : stage.name))
              .join(', ')}
            .
          </p>
        ) : null}
        {gate.detail ? <p className="gate-dialog-detail">{gate.detail}</p> : null}
        <p className={`may-decide may-decide--${mayDecide.tone}`}>
          {mayDecide.text}
          {gate.approvers.length > 0 ? (
            <span className="muted"> · Approvers: {gate.approvers.join(', ')}</span>
          ) : null}
        </p>
        {gate.canDecide === false ? (
          <p className="notice notice--warning">
            The CI server says your token may not decide this gate; it will answer if you try.
          </p>
        ) : null}
        <GateFields
          fields={fields}
          values={values}
          errors={shownErrors}
          disabled={sending}
          onChange={(name, value) => {
            setValues((current) => ({ ...current, [name]: value }));
            touch(name);
          }}
          onTouch={touch}
        />
        <div className="field">
          <label htmlFor="gate-comment">
            {rule.required ? (
              <>
                Comment <span className="required-mark">(required — {rule.reason})</span>
              </>
            ) : (
              'Comment (optional)'
            )}
          </label>
          <textarea
            id="gate-comment"
            data-testid="gate-comment"
            value={comment}
            maxLength={10_000}
            rows={3}
            aria-required={rule.required}
            aria-invalid={shownErrors['comment'] !== undefined}
            aria-describedby={shownErrors['comment'] ? 'gate-comment-error' : undefined}
            onChange={(event) => {
              setComment(event.target.value);
              touch('comment');
            }}
            onBlur={() => touch('comment')}
            disabled={sending}
          />
          {shownErrors['comment'] ? (
            <span className="field-error" id="gate-comment-error" role="alert">
              {shownErrors['comment']}
            </span>
          ) : null}
        </div>
        <div className="dialog-actions">
          {missing.length > 0 ? (
            <span className="dialog-missing" data-testid="gate-missing">
              Still needed:{' '}
              {missing
                .map((name) => (name === 'comment' ? 'comment' : labelOf(fields, name)))
                .join(', ')}
            </span>
          ) : null}
          <button type="button" className="button" onClick={onClose} disabled={sending}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${decision === 'approve' ? 'button--primary' : 'button--danger'}`}
            data-testid="gate-confirm"
            disabled={sending || missing.length > 0}
            aria-busy={sending}
          >
            {sending ? 'Sending…' : words.confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function labelOf(fields: readonly Gate['fields'][number][], name: string): string {
  return fields.find((field) => field.name === name)?.label || name;
}
