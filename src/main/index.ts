import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, type IpcMainInvokeEvent } from 'electron';
import type { Config } from '../shared/config';
import { isAppUrl } from './app-url';
import { defaultConfig, loadConfigFile } from './config/load-config';
import { createCore } from './core';
import type { Core } from './core-types';
import { forwardEvents, registerIpcHandlers } from './ipc';
import { nativeBindingPath } from './native-binding';
import {
  INBOX_HASH,
  createElectronNotificationPresenter,
  openNotificationInWindow,
  showRouteInWindow,
} from './notifications';
import { forwardNotifications } from './notifications/notification-presenter';
import { createWaitingGatesTray, type WaitingGatesTray } from './tray';
import { createMainWindow, rendererLocation } from './window';

/**
 * The Electron composition root: one instance, one core, one window, IPC between them, and the
 * core stopped (polls finished, database closed) before the app quits.
 */

const log = (line: string): void => console.error(`[pipewatch] ${line}`);

// Set before `ready` so that Chromium's profile lives in the same folder as the database: a test
// that passes a fresh PIPEWATCH_DATA_DIR then gets a fresh app in every respect.
const dataDirOverride = process.env['PIPEWATCH_DATA_DIR'];
if (dataDirOverride) app.setPath('userData', dataDirOverride);

/** The config file as in serve mode: `PIPEWATCH_CONFIG`, else `<data dir>/config.json`, else the demo. */
function loadDesktopConfig(dataDir: string): { config: Config; configPath: string | null } {
  const explicit = process.env['PIPEWATCH_CONFIG'];
  const inDataDir = join(dataDir, 'config.json');
  const configPath = explicit ?? (existsSync(inDataDir) ? inDataDir : null);
  if (configPath === null) {
    log(`No config file at ${inDataDir}: showing the built-in demo.`);
    return { config: defaultConfig(), configPath: null };
  }
  return { config: loadConfigFile(configPath), configPath };
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log(error instanceof Error ? (error.stack ?? message) : message);
  dialog.showErrorBox('Pipewatch cannot start', message);
  app.exit(2);
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let core: Core | null = null;
  let window: BrowserWindow | null = null;
  let tray: WaitingGatesTray | null = null;
  const location = rendererLocation();

  const openWindow = (running: Core): void => {
    window = createMainWindow({ core: running, location });
    window.on('closed', () => {
      window = null;
    });
  };

  const isTrustedSender = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return (
      window !== null &&
      !window.isDestroyed() &&
      event.sender === window.webContents &&
      frame !== null &&
      frame.parent === null &&
      isAppUrl(frame.url, location)
    );
  };

  app.on('second-instance', () => {
    if (window === null) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  // Nothing in Pipewatch embeds other pages; refuse <webview> outright.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (attachEvent) => attachEvent.preventDefault());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core !== null && BrowserWindow.getAllWindows().length === 0) openWindow(core);
  });

  let stopping: Promise<void> | null = null;
  let stopped = false;
  app.on('before-quit', (event) => {
    if (core === null || stopped) return;
    // Quit only once the core has finished its polls and closed the database; a second quit
    // request while that happens waits for the same stop.
    event.preventDefault();
    tray?.destroy();
    const running = core;
    stopping ??= running
      .stop()
      .catch((error: unknown) => log(`Stopping the core failed: ${String(error)}`))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(() => {
      const dataDir = app.getPath('userData');
      const nativeBinding = nativeBindingPath();
      if (nativeBinding === undefined && !app.isPackaged) {
        log(
          'No Electron build of better-sqlite3 in .electron-native/; if the database fails to open, run node scripts/rebuild-native-for-electron.mjs.',
        );
      }
      const running = createCore({ ...loadDesktopConfig(dataDir), dataDir, nativeBinding, log });
      core = running;
      registerIpcHandlers({ core: running, isTrustedSender, log });
      forwardEvents(running, () => window?.webContents ?? null);
      openWindow(running);
      // A notification or the tray may be clicked after the window was closed (macOS).
      const windowToShow = (): BrowserWindow | null => {
        if (window === null) openWindow(running);
        return window;
      };
      tray = createWaitingGatesTray({
        core: running,
        openInbox: () => showRouteInWindow(windowToShow(), INBOX_HASH),
        log,
      });
      forwardNotifications(running, createElectronNotificationPresenter(), (notification) =>
        openNotificationInWindow(windowToShow(), notification),
      );
    })
    .catch(fail);
}

main();
