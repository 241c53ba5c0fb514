import { useState } from 'react';
import { errorWords } from '../../format/error-words';

/** What an action answered, in words, to show next to the buttons. */
export type ActionAnswer = { text: string; tone: 'success' | 'error' };

/**
 * A button that asks the CI server to do something. When the source cannot, it stays on screen
 * disabled with the reason as its title, so people learn what is missing instead of hunting for
 * a button that is not there.
 */
export function ActionButton({
  label,
  unavailable,
  run,
  onAnswer,
  testId,
  tone = 'plain',
}: {
  label: string;
  /** Why the action cannot be offered, or null when it can. */
  unavailable: string | null;
  run(): Promise<{ message: string }>;
  onAnswer(answer: ActionAnswer): void;
  testId: string;
  tone?: 'plain' | 'danger';
}) {
  const [busy, setBusy] = useState(false);
  async function act(): Promise<void> {
    setBusy(true);
    try {
      const answer = await run();
      onAnswer({ text: answer.message, tone: 'success' });
    } catch (error) {
      onAnswer({ text: errorWords(error), tone: 'error' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <button
      type="button"
      className={`button button--small${tone === 'danger' ? ' button--danger-outline' : ''}`}
      data-testid={testId}
      disabled={unavailable !== null || busy}
      title={unavailable ?? undefined}
      aria-busy={busy}
      onClick={() => void act()}
    >
      {busy ? `${label}…` : label}
    </button>
  );
}
