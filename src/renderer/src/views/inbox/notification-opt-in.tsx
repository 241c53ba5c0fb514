import { useState } from 'react';
import {
  browserPermission,
  isOptedIn,
  setOptedIn,
  type BrowserPermission,
} from '../../notifications/browser-notifications';

/**
 * The one place a browser (serve mode) is asked for notification permission: a button the
 * person presses. The desktop app notifies through the operating system instead.
 */
export function NotificationOptIn() {
  const [permission, setPermission] = useState<BrowserPermission>(browserPermission);
  const [on, setOn] = useState(isOptedIn);
  if (window.pipewatch !== undefined || permission === 'unsupported') return null;
  if (permission === 'denied') {
    return (
      <span className="muted notification-opt-in" data-testid="notifications-blocked">
        Notifications are blocked for this site in the browser's settings.
      </span>
    );
  }
  const enabled = on && permission === 'granted';
  return (
    <button
      type="button"
      className="button notification-opt-in"
      data-testid="notifications-toggle"
      aria-pressed={enabled}
      onClick={() => {
        void setOptedIn(!enabled).then((next) => {
          setPermission(next);
          setOn(!enabled);
        });
      }}
    >
      {enabled ? 'Turn off desktop notifications' : 'Notify me on this desktop'}
    </button>
  );
}
