import '../../styles/approvals.css';
import { useEffect, useMemo, useState } from 'react';
import { AUDIT_OUTCOMES, DECISIONS } from '../../../../shared/model';
import { auditFileName, auditToCsv, auditToJson } from '../../format/audit-export';
import { filterAudit, NO_AUDIT_FILTER, type AuditFilter } from '../../format/audit-filter';
import { useAppStore } from '../../store/app-store';
import { AUDIT_ENTRIES } from '../../store/approval-loaders';
import { useAudit, useAuditError, useAuditLoaded } from '../../store/approval-selectors';
import { AppHeader } from '../common/app-header';
import { downloadText } from '../common/download';
import { ErrorNotice } from '../common/error-notice';
import { useServices } from '../common/services';
import { AuditTable } from './audit-table';

/** The CSV starts with a byte-order mark so that spreadsheets read it as UTF-8. */
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * `#/audit`: every decision attempt, newest first — who, when, what, and what the CI server
 * answered. Read only: the trail cannot be changed from the app. Filters narrow what is shown,
 * and the export saves exactly what is shown.
 */
export function AuditView() {
  const { loaders } = useServices();
  const entries = useAudit();
  const loaded = useAuditLoaded();
  const error = useAuditError();
  const [filter, setFilter] = useState<AuditFilter>(NO_AUDIT_FILTER);
  const shown = useMemo(() => filterAudit(entries, filter), [entries, filter]);

  useEffect(() => {
    useAppStore.getState().setAuditOpen(true);
    void loaders.loadAudit();
    return () => useAppStore.getState().setAuditOpen(false);
  }, [loaders]);

  const filtered = shown.length !== entries.length;
  const rows = `${shown.length} ${shown.length === 1 ? 'entry' : 'entries'}`;
  return (
    <>
      <AppHeader>
        <a href="#/">Pipelines</a>
        <span aria-hidden="true" className="crumb-separator">
          /
        </span>
        <span aria-current="page">Audit trail</span>
      </AppHeader>
      <main className="approvals-page" data-testid="audit">
        <div className="approvals-head">
          <div>
            <h1>Audit trail</h1>
            <p className="muted">
              Every approve and reject attempt with the CI server's answer, newest first. Entries
              are recorded by Pipewatch and cannot be changed here.
            </p>
          </div>
        </div>
        <form
          className="audit-filters"
          role="search"
          aria-label="Filter the audit trail"
          onSubmit={(event) => event.preventDefault()}
        >
          <label className="field field--inline">
            <span>Search</span>
            <input
              type="search"
              data-testid="audit-search"
              placeholder="Who, pipeline, #build, comment…"
              value={filter.text}
              onChange={(event) => setFilter({ ...filter, text: event.target.value })}
            />
          </label>
          <label className="field field--inline">
            <span>Decision</span>
            <select
              data-testid="audit-decision"
              value={filter.decision}
              onChange={(event) =>
                setFilter({ ...filter, decision: event.target.value as AuditFilter['decision'] })
              }
            >
              <option value="all">All</option>
              {DECISIONS.map((decision) => (
                <option key={decision} value={decision}>
                  {decision}
                </option>
              ))}
            </select>
          </label>
          <label className="field field--inline">
            <span>Outcome</span>
            <select
              data-testid="audit-outcome"
              value={filter.outcome}
              onChange={(event) =>
                setFilter({ ...filter, outcome: event.target.value as AuditFilter['outcome'] })
              }
            >
              <option value="all">All</option>
              {AUDIT_OUTCOMES.map((outcome) => (
                <option key={outcome} value={outcome}>
                  {outcome}
                </option>
              ))}
            </select>
          </label>
          <div className="audit-export">
            <span className="muted" data-testid="audit-shown">
              {filtered ? `${rows} of ${entries.length}` : rows}
              {entries.length >= AUDIT_ENTRIES ? ' (the newest only)' : ''}
            </span>
            <button
              type="button"
              className="button"
              data-testid="audit-export-csv"
              disabled={shown.length === 0}
              onClick={() =>
                downloadText(
                  auditFileName('csv', Date.now()),
                  'text/csv;charset=utf-8',
                  BYTE_ORDER_MARK + auditToCsv(shown),
                )
              }
            >
              Export CSV
            </button>
            <button
              type="button"
              className="button"
              data-testid="audit-export-json"
              disabled={shown.length === 0}
              onClick={() =>
                downloadText(
                  auditFileName('json', Date.now()),
                  'application/json',
                  auditToJson(shown),
                )
              }
            >
              Export JSON
            </button>
          </div>
        </form>
        <ErrorNotice title="The audit trail could not be read." message={error} />
        {!loaded && error === null ? <p className="empty">Reading the audit trail…</p> : null}
        {loaded && entries.length === 0 ? (
          <p className="empty">No decisions yet. Approvals and rejections will appear here.</p>
        ) : null}
        {loaded && entries.length > 0 && shown.length === 0 ? (
          <p className="empty">No entry matches these filters.</p>
        ) : null}
        {shown.length > 0 ? <AuditTable entries={shown} /> : null}
      </main>
    </>
  );
}
