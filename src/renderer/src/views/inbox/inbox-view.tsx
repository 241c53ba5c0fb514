import '../../styles/approvals.css';
import { useCallback, useEffect, useState } from 'react';
import type { InboxItem } from '../../../../shared/model';
import { useInbox, useInboxError, useInboxLoaded } from '../../store/approval-selectors';
import { AppHeader } from '../common/app-header';
import { ErrorNotice } from '../common/error-notice';
import { useServices } from '../common/services';
import { DecisionAnswerLine, type DecisionAnswer } from '../pipeline/decision-answer';
import { InboxCard } from './inbox-card';
import { NotificationOptIn } from './notification-opt-in';

/** An answer to a decision made here, with the candidate it was about. */
type InboxAnswer = { label: string; answer: DecisionAnswer };

/**
 * `#/inbox`: every gate waiting for a decision, across sources, newest first. Answers to
 * decisions made here stay on top; a gate that stopped waiting leaves the list at once rather
 * than at the next poll.
 */
export function InboxView() {
  const { loaders } = useServices();
  const items = useInbox();
  const loaded = useInboxLoaded();
  const error = useInboxError();
  const [answers, setAnswers] = useState<ReadonlyMap<number, InboxAnswer>>(new Map());
  const [settled, setSettled] = useState<ReadonlySet<number>>(new Set());
  // Items whose confirmation is open stay even if the gate stops waiting meanwhile (decided in
  // another window): the person then gets the server's "already decided" answer.
  const [pinned, setPinned] = useState<ReadonlyMap<number, InboxItem>>(new Map());

  useEffect(() => {
    void loaders.loadInbox();
  }, [loaders]);

  const onAnswer = useCallback(
    (gateId: number, label: string, answer: DecisionAnswer, stopped: boolean) => {
      setAnswers((current) => new Map([[gateId, { label, answer }], ...current]));
      if (stopped) setSettled((current) => new Set([...current, gateId]));
      void loaders.loadInbox();
      void loaders.loadPipelines();
    },
    [loaders],
  );

  const onDialog = useCallback((item: InboxItem, open: boolean) => {
    setPinned((current) => {
      const next = new Map(current);
      if (open) next.set(item.gate.id, item);
      else next.delete(item.gate.id);
      return next;
    });
  }, []);

  const listed = new Set(items.map((item) => item.gate.id));
  const waiting = [
    ...items,
    ...[...pinned.values()].filter((item) => !listed.has(item.gate.id)),
  ].filter((item) => pinned.has(item.gate.id) || !settled.has(item.gate.id));
  return (
    <>
      <AppHeader>
        <a href="#/">Pipelines</a>
        <span aria-hidden="true" className="crumb-separator">
          /
        </span>
        <span aria-current="page">Approvals inbox</span>
      </AppHeader>
      <main className="approvals-page" data-testid="inbox">
        <div className="approvals-head">
          <div>
            <h1>Waiting for a decision</h1>
            <p className="muted">
              {loaded
                ? `${waiting.length === 1 ? '1 gate' : `${waiting.length} gates`} across all sources, newest first.`
                : 'Reading the gates…'}
            </p>
          </div>
          <NotificationOptIn />
        </div>
        {answers.size > 0 ? (
          <section className="inbox-answers" aria-label="Answers to your decisions">
            {[...answers].map(([gateId, { label, answer }]) => (
              <div key={gateId} className="inbox-answer">
                <span className="inbox-answer-label">{label}</span>
                <DecisionAnswerLine answer={answer} />
              </div>
            ))}
          </section>
        ) : null}
        <ErrorNotice title="The inbox could not be read." message={error} />
        {loaded && waiting.length === 0 ? (
          <p className="empty" data-testid="inbox-empty">
            Nothing is waiting for a decision.
          </p>
        ) : null}
        <ol className="inbox-list">
          {waiting.map((item) => (
            <InboxCard key={item.gate.id} item={item} onAnswer={onAnswer} onDialog={onDialog} />
          ))}
        </ol>
      </main>
    </>
  );
}
