import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, nativeTheme, powerMonitor } from 'electron';
import type { Config } from '../shared/config';
import { defaultConfig, loadConfigFile } from './config/load-config';
import { createCore, type DesktopCore } from './core';
import {
  AUTOSTART_FILE_NAME,
  autostartEntry,
  autostartFolder,
  HIDDEN_AT_LOGIN_ARGUMENT,
} from './desktop/autostart';
import { DEEP_LINK_PROTOCOL, deepLinkInArguments, hashRouteOfDeepLink } from './desktop/deep-link';
import { forwardEvents, registerIpcHandlers } from './ipc';
import { nativeBindingPath } from './native-binding';
import {
  createElectronNotificationPresenter,
  openNotificationInWindow,
  showRouteInWindow,
} from './notifications';
import { forwardNotifications } from './notifications/notification-presenter';
import { openDesktopSecretStore } from './secrets';
import type { DesktopIntegration } from './settings/source-settings';
import { createStatusTray, type StatusTray } from './tray';
import {
  createMainWindow,
  installApplicationMenu,
  rendererLocation,
  windowStatePath,
} from './window';

/**
 * The Electron composition root: one instance, one core, one window, IPC between them, a tray,
 * `pipewatch://` links, polling paused while the machine sleeps, and the core stopped (polls
 * finished, database closed) before the app quits.
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

/** Makes Pipewatch the handler of pipewatch:// links (in development: this electron + app path). */
function registerDeepLinks(): void {
  const registered =
    process.defaultApp && process.argv[1] !== undefined
      ? app.setAsDefaultProtocolClient(DEEP_LINK_PROTOCOL, process.execPath, [
          resolve(process.argv[1]),
        ])
      : app.setAsDefaultProtocolClient(DEEP_LINK_PROTOCOL);
  if (!registered) log('Could not register pipewatch:// links with the system.');
}

/**
 * Start at login, opt-in from Settings: login items on macOS and Windows, an XDG autostart entry
 * on Linux (where Electron's login items do nothing). Either way Pipewatch starts in the tray.
 */
function startAtLoginSetting(): NonNullable<DesktopIntegration['startAtLogin']> {
  if (process.platform === 'linux') {
    const file = join(autostartFolder(process.env, homedir()), AUTOSTART_FILE_NAME);
    // An AppImage moves with its file; APPIMAGE names where it is now.
    const executable = process.env['APPIMAGE'] ?? process.execPath;
    const command = app.isPackaged
      ? [executable, HIDDEN_AT_LOGIN_ARGUMENT]
      : [process.execPath, app.getAppPath(), HIDDEN_AT_LOGIN_ARGUMENT];
    return {
      get: () => existsSync(file),
      set(enabled) {
        if (!enabled) {
          rmSync(file, { force: true });
          return;
        }
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(file, autostartEntry(command));
      },
    };
  }
  return {
    get: () => app.getLoginItemSettings().openAtLogin,
    set: (enabled) =>
      app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_AT_LOGIN_ARGUMENT] }),
  };
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerDeepLinks();
  nativeTheme.themeSource = 'system';

  let core: DesktopCore | null = null;
  let window: BrowserWindow | null = null;
  let tray: StatusTray | null = null;
  const location = rendererLocation();
  const startedHidden =
    process.argv.includes(HIDDEN_AT_LOGIN_ARGUMENT) || app.getLoginItemSettings().wasOpenedAtLogin;
  /** A link that arrived before the window existed; opened once it does. */
  let pendingRoute: string | null = null;

  const openWindow = (running: DesktopCore, show = true): BrowserWindow => {
    const opened = createMainWindow({
      core: running,
      location,
      statePath: windowStatePath(app.getPath('userData')),
      show,
    });
    window = opened;
    opened.on('closed', () => {
      if (window === opened) window = null;
    });
    return opened;
  };
  // A notification, the tray or a link may ask for the window after it was closed (macOS).
  const openRoute = (route: string): void => {
    if (core === null) {
      pendingRoute = route;
      return;
    }
    showRouteInWindow(window ?? openWindow(core), route);
  };
  const openDeepLink = (link: string | null): void => {
    if (link === null) return;
    const route = hashRouteOfDeepLink(link);
    if (route === null) log(`Ignored a pipewatch:// link Pipewatch does not know.`);
    else openRoute(route);
  };

  app.on('second-instance', (_event, argv) => {
    const link = deepLinkInArguments(argv);
    if (link !== null) {
      openDeepLink(link);
      return;
    }
    if (window === null) {
      if (core !== null) openWindow(core);
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  // macOS hands links over as an event, also before `ready` when a link launched the app.
  app.on('open-url', (event, link) => {
    event.preventDefault();
    openDeepLink(link);
  });

  // Nothing in Pipewatch embeds other pages; refuse <webview> outright.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (attachEvent) => attachEvent.preventDefault());
  });

  // Closing the window quits, as people expect outside macOS; a launch at login lives in the
  // tray (and notifies) until its window is first opened.
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
    tray = null;
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
      const running = createCore({
        ...loadDesktopConfig(dataDir),
        dataDir,
        nativeBinding,
        log,
        secrets: openDesktopSecretStore(dataDir),
        desktop: { startAtLogin: startAtLoginSetting() },
      });
      core = running;
      registerIpcHandlers({
        core: running,
        location,
        isAppWindow: (contents) =>
          window !== null && !window.isDestroyed() && contents === window.webContents,
        log,
      });
      forwardEvents(running, () => window?.webContents ?? null);
      installApplicationMenu(openRoute);
      openWindow(running, !startedHidden);
      tray = createStatusTray({ core: running, openRoute, log });
      forwardNotifications(running, createElectronNotificationPresenter(), (notification) =>
        openNotificationInWindow(window ?? openWindow(running), notification),
      );

      // Nothing can be reached while the machine sleeps; catch up at once on waking.
      powerMonitor.on('suspend', () => running.setSuspended(true));
      powerMonitor.on('resume', () => running.setSuspended(false));

      openDeepLink(deepLinkInArguments(process.argv));
      if (pendingRoute !== null) {
        openRoute(pendingRoute);
        pendingRoute = null;
      }
    })
    .catch(fail);
}

main();
