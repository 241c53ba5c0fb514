import { desktopNotificationSchema, type DesktopNotification } from './notification-rules';

/**
 * How a shell shows a notification: Electron's `Notification` in the desktop app, a fake in
 * tests. Kept behind this interface so the forwarding below is tested without Electron.
 */
export interface NotificationPresenter {
  /** False where the desktop has no notification service. */
  isSupported(): boolean;
  show(notification: DesktopNotification, onClick: () => void): void;
}

/** Anything that pushes the core's events (the `Core` itself). */
export interface NotificationEventSource {
  subscribe(listener: (event: { name: string; payload: unknown }) => void): () => void;
}

/** The core event that carries a notification (to be declared in the contract's `events`). */
export const NOTIFICATION_EVENT = 'notifications/show';

/** Where a notification leads in the app: its build, which shows the gate or the failed stage. */
export function notificationHash(notification: DesktopNotification): string {
  return `#/pipelines/${notification.pipelineId}/builds/${notification.buildId}`;
}

/**
 * Shows every notification the core emits, and opens its build when it is clicked. Payloads
 * that do not match the schema are dropped rather than shown half-filled.
 */
export function forwardNotifications(
  core: NotificationEventSource,
  presenter: NotificationPresenter,
  open: (notification: DesktopNotification) => void,
): () => void {
  return core.subscribe((event) => {
    if (event.name !== NOTIFICATION_EVENT || !presenter.isSupported()) return;
    const parsed = desktopNotificationSchema.safeParse(event.payload);
    if (!parsed.success) return;
    const notification = parsed.data;
    presenter.show(notification, () => open(notification));
  });
}
