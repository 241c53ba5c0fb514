/**
 * Desktop notifications in a browser (serve mode) through the Web Notifications API. Pipewatch
 * never asks for permission on its own: only the opt-in button does, and it can be turned off
 * again here without touching the browser's settings.
 */

/** What the core pushes as `notifications/show` (see `src/main/notifications/notification-rules.ts`). */
export type PushedNotification = {
  title: string;
  body: string;
  pipelineId: number;
  buildId: number;
  tag: string;
};

/** The browser's permission, or `unsupported` where there is no Notification API. */
export type BrowserPermission = 'unsupported' | NotificationPermission;

const OPT_IN_KEY = 'pipewatch.browser-notifications';

/** The choice for this page when the browser keeps no storage. */
let choiceWithoutStorage = false;

/** The permission as the browser reports it now. */
export function browserPermission(): BrowserPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Whether the person turned notifications on in this browser (and has not turned them off). */
export function isOptedIn(storage: Pick<Storage, 'getItem'> | null = safeStorage()): boolean {
  return storage === null ? choiceWithoutStorage : storage.getItem(OPT_IN_KEY) === 'on';
}

/** Remembers the choice; asks the browser for permission only when turning on. */
export async function setOptedIn(
  on: boolean,
  storage: Pick<Storage, 'setItem'> | null = safeStorage(),
): Promise<BrowserPermission> {
  if (storage === null) choiceWithoutStorage = on;
  else storage.setItem(OPT_IN_KEY, on ? 'on' : 'off');
  if (!on || browserPermission() !== 'default') return browserPermission();
  return Notification.requestPermission();
}

/**
 * Whether to show a pushed notification here: the person opted in, the browser allows it, and
 * the page is not in front of them already (then the inbox badge says enough).
 */
export function shouldShowInBrowser(state: {
  optedIn: boolean;
  permission: BrowserPermission;
  pageVisible: boolean;
}): boolean {
  return state.optedIn && state.permission === 'granted' && !state.pageVisible;
}

/** Shows one pushed notification if it should be; clicking it opens the build. */
export function showInBrowser(notification: PushedNotification): void {
  // Asked first: outside a browser (tests) or in Electron (permission denied) nothing else runs.
  const permission = browserPermission();
  if (permission !== 'granted') return;
  const pageVisible = document.visibilityState === 'visible' && document.hasFocus();
  if (!shouldShowInBrowser({ optedIn: isOptedIn(), permission, pageVisible })) return;
  const shown = new Notification(notification.title, {
    body: notification.body,
    tag: notification.tag,
  });
  shown.onclick = () => {
    window.focus();
    window.location.hash = `#/pipelines/${notification.pipelineId}/builds/${notification.buildId}`;
    shown.close();
  };
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage can be disabled; then the choice lasts only as long as the page.
    return null;
  }
}
