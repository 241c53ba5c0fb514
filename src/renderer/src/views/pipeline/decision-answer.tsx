import type { Decision, DecisionResult } from '../../../../shared/model';
import { outcomeExplanation } from '../../format/decision-form';
import { decisionResultWords } from '../../format/decision-words';

/** The server's answer to one decision, kept after the gate stops waiting. */
export type DecisionAnswer = {
  text: string;
  /** What the outcome means, for everything but success. */
  explanation: string | null;
  tone: 'success' | 'error';
};

/** The answer to a decision (or the error that kept it from arriving) in words. */
export function answerOf(
  outcome: { result: DecisionResult } | { error: string },
  decision: Decision,
): DecisionAnswer {
  if ('error' in outcome) return { text: outcome.error, explanation: null, tone: 'error' };
  return {
    text: decisionResultWords(outcome.result, decision),
    explanation: outcomeExplanation(outcome.result.outcome),
    tone: outcome.result.outcome === 'done' ? 'success' : 'error',
  };
}

/** One answer, as a line that stays after the dialog closes. */
export function DecisionAnswerLine({ answer }: { answer: DecisionAnswer }) {
  return (
    <p
      className={`gate-result gate-result--${answer.tone}`}
      data-testid="gate-result"
      role="status"
    >
      {answer.text}
      {answer.explanation ? <span className="gate-result-why">{answer.explanation}</span> : null}
    </p>
  );
}
