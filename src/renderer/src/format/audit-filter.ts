import type { AuditEntry, AuditOutcome, Decision } from '../../../shared/model';

/** What the audit view narrows the trail to; `all` lets everything through. */
export type AuditFilter = {
  decision: Decision | 'all';
  outcome: AuditOutcome | 'all';
  /** Words that must all appear (case-insensitive) somewhere in the entry. */
  text: string;
};

export const NO_AUDIT_FILTER: AuditFilter = { decision: 'all', outcome: 'all', text: '' };

/** The entries that match the filter, in their order. */
export function filterAudit(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter(
    (entry) =>
      (filter.decision === 'all' || entry.decision === filter.decision) &&
      (filter.outcome === 'all' || entry.outcome === filter.outcome) &&
      words.every((word) => searchableText(entry).includes(word)),
  );
}

function searchableText(entry: AuditEntry): string {
  return [
    entry.actor,
    entry.pipelineName,
    `#${entry.buildNumber}`,
    entry.gateName,
    entry.decision,
    entry.comment,
    entry.outcome,
    entry.serverAnswer,
    entry.requestId,
  ]
    .join('\n')
    .toLowerCase();
}
