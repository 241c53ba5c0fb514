import { Menu, Tray, app, nativeImage } from 'electron';
import type { Core } from './core-types';
import { trayIconPixels, trayStatus } from './notifications/tray-status';

const ICON_SIZE = 16;

export interface WaitingGatesTray {
  destroy(): void;
}

/**
 * A tray icon that says how many gates wait for a decision (tooltip, title on macOS, the dock /
 * launcher badge), re-counted whenever the core says gates changed. Clicking opens the inbox.
 */
export function createWaitingGatesTray(options: {
  core: Core;
  openInbox(): void;
  log(line: string): void;
}): WaitingGatesTray {
  const { core } = options;
  const icon = (attention: boolean) =>
    nativeImage.createFromBitmap(trayIconPixels(ICON_SIZE, attention), {
      width: ICON_SIZE,
      height: ICON_SIZE,
    });
  const tray = new Tray(icon(false));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open the approvals inbox', click: () => options.openInbox() },
      { type: 'separator' },
      { label: 'Quit Pipewatch', click: () => app.quit() },
    ]),
  );
  tray.on('click', () => options.openInbox());

  let shown = -1;
  let destroyed = false;
  const show = (count: number): void => {
    if (destroyed || count === shown) return;
    const attention = count > 0;
    if (attention !== shown > 0 || shown === -1) tray.setImage(icon(attention));
    shown = count;
    const status = trayStatus(count);
    tray.setToolTip(status.tooltip);
    tray.setTitle(status.title);
    app.setBadgeCount(count);
  };
  const recount = (): void => {
    core.api['gates/inbox']({})
      .then((items) => show(items.length))
      .catch((error: unknown) => options.log(`Counting waiting gates failed: ${String(error)}`));
  };

  const unsubscribe = core.subscribe((event) => {
    if (event.name === 'gates/changed') recount();
  });
  recount();
  return {
    destroy() {
      if (destroyed) return;
      destroyed = true;
      unsubscribe();
      tray.destroy();
    },
  };
}
