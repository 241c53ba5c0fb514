import { Notification, type BrowserWindow } from 'electron';
import {
  notificationHash,
  type NotificationPresenter,
} from './notifications/notification-presenter';
import type { DesktopNotification } from './notifications/notification-rules';

/**
 * Desktop notifications through Electron. Shown notifications are kept referenced until they
 * close: Electron drops the click handler of a notification that was garbage-collected.
 */
export function createElectronNotificationPresenter(): NotificationPresenter {
  const showing = new Set<Notification>();
  return {
    isSupported: () => Notification.isSupported(),
    show(notification, onClick) {
      const shown = new Notification({ title: notification.title, body: notification.body });
      showing.add(shown);
      shown.on('click', () => {
        showing.delete(shown);
        onClick();
      });
      shown.on('close', () => showing.delete(shown));
      shown.show();
    },
  };
}

/** The inbox's route, opened from the tray. */
export const INBOX_HASH = '#/inbox';

/** Brings the window forward and opens the notification's build (its gate or failed stage). */
export function openNotificationInWindow(
  window: BrowserWindow | null,
  notification: DesktopNotification,
): void {
  showRouteInWindow(window, notificationHash(notification));
}

/**
 * Brings the window forward on a route. Only routes built here reach this (constants and
 * integers, never text from a CI server), and JSON quoting keeps even those inert.
 */
export function showRouteInWindow(window: BrowserWindow | null, hash: string): void {
  if (window === null || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  // Waits for the page to finish loading when the window was just opened.
  void window.webContents.executeJavaScript(`window.location.hash = ${JSON.stringify(hash)};`);
}
