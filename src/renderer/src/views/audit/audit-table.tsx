import type { AuditEntry, AuditOutcome } from '../../../../shared/model';
import { assertNever } from '../../../../shared/status';

/** An outcome as a word and a tone for its badge. */
function outcomeBadge(outcome: AuditOutcome): { word: string; tone: string } {
  switch (outcome) {
    case 'done':
      return { word: 'Done', tone: 'success' };
    case 'already-decided':
      return { word: 'Already decided', tone: 'muted' };
    case 'expired':
      return { word: 'Expired', tone: 'muted' };
    case 'forbidden':
      return { word: 'Forbidden', tone: 'failed' };
    case 'error':
      return { word: 'Error', tone: 'failed' };
    default:
      return assertNever(outcome);
  }
}

/** Local date and time to the second; the exact ISO time is in the tooltip and the export. */
function localTime(iso: string): { date: string; time: string } {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return { date: iso, time: '' };
  return {
    date: at.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }),
    time: at.toLocaleTimeString(undefined, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }),
  };
}

/** The audit entries as a read-only table; every text is rendered as text. */
export function AuditTable({ entries }: { entries: readonly AuditEntry[] }) {
  return (
    <div className="audit-table-frame">
      <table className="audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Build</th>
            <th scope="col">Gate</th>
            <th scope="col">Decision</th>
            <th scope="col">Outcome</th>
            <th scope="col">Comment</th>
            <th scope="col">Server's answer</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const badge = outcomeBadge(entry.outcome);
            const when = localTime(entry.at);
            return (
              <tr
                key={entry.id}
                data-testid="audit-row"
                data-outcome={entry.outcome}
                data-decision={entry.decision}
                data-build-number={entry.buildNumber}
                data-request-id={entry.requestId}
              >
                <td className="audit-when">
                  <time dateTime={entry.at} title={entry.at}>
                    {when.date}
                    <span className="audit-time">{when.time}</span>
                  </time>
                </td>
                <td>{entry.actor}</td>
                <td className="audit-build">
                  {entry.pipelineName} <span className="muted">#{entry.buildNumber}</span>
                </td>
                <td>{entry.gateName}</td>
                <td>
                  <span className={`decision-word decision-word--${entry.decision}`}>
                    {entry.decision === 'approve' ? 'Approve' : 'Reject'}
                  </span>
                </td>
                <td>
                  <span className={`outcome-badge outcome-badge--${badge.tone}`}>{badge.word}</span>
                </td>
                <td className="audit-comment">
                  {entry.comment ? entry.comment : <span className="muted">—</span>}
                </td>
                <td className="audit-answer">{entry.serverAnswer}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
