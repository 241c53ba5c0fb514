import type { ConnectionTest } from '../../../../shared/config';

const ERROR_WORDS: Record<string, string> = {
  auth: 'The server refused the token',
  forbidden: 'The token may not read this',
  'not-found': 'Not found',
  unreachable: 'The server cannot be reached',
  'rate-limited': 'Rate limited',
  server: 'The server failed',
  'bad-response': 'The server sent something Pipewatch does not understand',
  invalid: 'Not ready to test',
  internal: 'The test failed inside Pipewatch',
};

function budgetWords(test: Extract<ConnectionTest, { ok: true }>): string | null {
  const budget = test.rateLimit;
  if (budget === null) return null;
  const resets = new Date(budget.resetAt);
  const at = Number.isNaN(resets.getTime())
    ? budget.resetAt
    : resets.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `${budget.remaining.toLocaleString()} of ${budget.limit.toLocaleString()} requests left this hour (refills at ${at})`;
}

/** What "Test connection" found: who, how many pipelines, the budget — or the precise error. */
export function ConnectionTestResult({ test }: { test: ConnectionTest }) {
  if (!test.ok) {
    return (
      <div
        className="settings-test settings-test--failed"
        role="alert"
        data-testid="connection-result"
        data-ok="false"
      >
        <strong>{ERROR_WORDS[test.errorKind] ?? 'The test failed'}.</strong> {test.message}
      </div>
    );
  }
  const budget = budgetWords(test);
  return (
    <div
      className="settings-test settings-test--ok"
      role="status"
      data-testid="connection-result"
      data-ok="true"
    >
      <strong>Connected{test.identity ? ` as ${test.identity}` : ''}.</strong>{' '}
      {test.pipelines === 1 ? '1 pipeline' : `${test.pipelines} pipelines`} to watch
      {budget ? `; ${budget}` : ''}. <span className="muted">({test.durationMs} ms)</span>
    </div>
  );
}
