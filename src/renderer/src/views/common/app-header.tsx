import type { ReactNode } from 'react';
import { formatAge } from '../../format/duration';
import { useHashRoute } from '../../routing/use-hash-route';
import { useConnection, useLastUpdatedAt } from '../../store/selectors';
import { ApprovalsNav } from '../inbox/approvals-nav';
import { useNow } from './use-now';

/** "Updated 3s ago", ticking every second. */
export function UpdatedAgo() {
  const lastUpdatedAt = useLastUpdatedAt();
  const now = useNow();
  const text = lastUpdatedAt === null ? 'Loading…' : `Updated ${formatAge(now - lastUpdatedAt)}`;
  return (
    <span className="updated-ago" data-testid="updated-ago" aria-live="off">
      {text}
    </span>
  );
}

/** The push channel's state: a quiet "Live" or a visible "Connection lost, reconnecting…". */
export function ConnectionStatus() {
  const connection = useConnection();
  if (connection === 'reconnecting') {
    return (
      <span className="connection connection--lost" role="status" data-testid="connection-lost">
        Connection lost, reconnecting…
      </span>
    );
  }
  return (
    <span className={`connection connection--${connection}`} role="status">
      {connection === 'open' ? 'Live' : 'Connecting…'}
    </span>
  );
}

/** The way to Settings (sources, preferences), marked while it is open. */
function SettingsLink() {
  const route = useHashRoute();
  return (
    <a
      className="app-nav-link"
      href="#/settings"
      data-testid="settings-link"
      aria-current={route.view === 'settings' ? 'page' : undefined}
    >
      Settings
    </a>
  );
}

/** The bar on top of every view. */
export function AppHeader({ children }: { children?: ReactNode }) {
  return (
    <header className="app-header">
      <a className="app-title" href="#/">
        <span className="app-logo" aria-hidden="true" />
        Pipewatch
      </a>
      <nav className="app-breadcrumbs" aria-label="Breadcrumbs">
        {children}
      </nav>
      <div className="app-header-status">
        <ApprovalsNav />
        <SettingsLink />
        <ConnectionStatus />
        <UpdatedAgo />
      </div>
    </header>
  );
}
