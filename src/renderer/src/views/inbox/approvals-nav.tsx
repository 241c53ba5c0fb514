import '../../styles/approvals.css';
import { useEffect } from 'react';
import { useHashRoute } from '../../routing/use-hash-route';
import { useInboxCount } from '../../store/approval-selectors';

/** The window title with the number of waiting gates in front: "(2) Pipewatch". */
export function titleWithCount(count: number | null, base = 'Pipewatch'): string {
  return count !== null && count > 0 ? `(${count}) ${base}` : base;
}

/**
 * Links to the approvals inbox (with the count of waiting gates) and the audit trail, shown in
 * the header of every page; it also keeps the count in the window title.
 */
export function ApprovalsNav() {
  const count = useInboxCount();
  const route = useHashRoute();
  useEffect(() => {
    document.title = titleWithCount(count);
  }, [count]);
  const waiting = count !== null && count > 0;
  return (
    <nav className="app-nav" aria-label="Approvals">
      <a
        className="app-nav-link"
        href="#/inbox"
        data-testid="inbox-link"
        aria-current={route.view === 'inbox' ? 'page' : undefined}
      >
        Inbox
        {count !== null ? (
          <span
            className={`nav-count${waiting ? ' nav-count--waiting' : ''}`}
            data-testid="inbox-count"
            aria-label={`${count} waiting for a decision`}
          >
            {count}
          </span>
        ) : null}
      </a>
      <a
        className="app-nav-link"
        href="#/audit"
        data-testid="audit-link"
        aria-current={route.view === 'audit' ? 'page' : undefined}
      >
        Audit
      </a>
    </nav>
  );
}
