import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  Menu,
  nativeTheme,
  screen,
  shell,
  type MenuItemConstructorOptions,
  type Session,
} from 'electron';
import { externalUrl, isAppUrl, type RendererLocation } from './app-url';
import type { Core } from './core-types';
import {
  DEFAULT_SIZE,
  fitWindowState,
  formatWindowState,
  MINIMUM_SIZE,
  parseWindowState,
  type WindowState,
} from './desktop/window-state';
import { CONTENT_SECURITY_POLICY } from './server/security-headers';

/** The dev server in development (electron-vite sets the variable), the built page otherwise. */
export function rendererLocation(): RendererLocation {
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devServer) return { kind: 'dev-server', url: devServer };
  // The bundle is out/main/index.js; the renderer build is out/renderer.
  return { kind: 'file', path: join(__dirname, '..', 'renderer', 'index.html') };
}

/**
 * Sends the renderer's CSP as a header on everything the session loads, so the policy holds
 * even for responses (the dev server's) that a meta tag alone would not cover first.
 */
export function applyContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
}

/** Pipewatch needs no camera, microphone, location or web notifications: refuse every request. */
export function denyPermissionRequests(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

function openExternally(url: string): void {
  const safe = externalUrl(url);
  if (safe !== null) void shell.openExternal(safe);
}

/** The file that remembers the window's size and position, in the user-data folder. */
export function windowStatePath(userData: string): string {
  return join(userData, 'window-state.json');
}

function readWindowState(path: string): WindowState {
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // First launch, or the file was removed: the defaults.
  }
  return fitWindowState(
    parseWindowState(text),
    screen.getAllDisplays().map((display) => display.workArea),
  );
}

/** Saves size and position (the normal bounds even while maximized) when they change. */
function rememberWindowState(window: BrowserWindow, path: string): void {
  let timer: NodeJS.Timeout | null = null;
  const save = (): void => {
    timer = null;
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    const state: WindowState = {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
    };
    try {
      writeFileSync(path, formatWindowState(state));
    } catch {
      // Not worth bothering anyone: the window opens at its default size next time.
    }
  };
  const saveSoon = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);
  window.on('close', () => {
    if (timer !== null) clearTimeout(timer);
    save();
  });
}

/**
 * The main window: sandboxed, isolated, no Node, only our own page; links to CI servers open in
 * the system browser; hiding or minimizing it slows the poller down. It opens where it was last
 * closed, in the system's light or dark colours.
 */
export function createMainWindow(options: {
  core: Core;
  location: RendererLocation;
  /** Where size and position are remembered (`windowStatePath`). */
  statePath: string;
  /** False when started at login: the app lives in the tray until the window is asked for. */
  show?: boolean;
}): BrowserWindow {
  const { core, location } = options;
  const saved = readWindowState(options.statePath);
  const window = new BrowserWindow({
    ...DEFAULT_SIZE,
    ...(saved.bounds ?? {}),
    minWidth: MINIMUM_SIZE.width,
    minHeight: MINIMUM_SIZE.height,
    show: false,
    title: 'Pipewatch',
    // The page's own background, so that no white flash precedes the dark theme.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0e1014' : '#f6f7f9',
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  const contents = window.webContents;
  applyContentSecurityPolicy(contents.session);
  denyPermissionRequests(contents.session);

  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  const keepToApp = (event: { preventDefault(): void }, url: string): void => {
    if (isAppUrl(url, location)) return;
    event.preventDefault();
    openExternally(url);
  };
  contents.on('will-navigate', keepToApp);
  contents.on('will-redirect', keepToApp);

  const reportVisibility = (): void => {
    if (!window.isDestroyed()) core.setVisible(window.isVisible() && !window.isMinimized());
  };
  window.on('show', reportVisibility);
  window.on('hide', reportVisibility);
  window.on('minimize', reportVisibility);
  window.on('restore', reportVisibility);
  rememberWindowState(window, options.statePath);
  // Started at login into the tray: nobody is looking until the window is opened.
  if (options.show === false) core.setVisible(false);
  window.once('ready-to-show', () => {
    if (options.show === false) return;
    if (saved.maximized) window.maximize();
    window.show();
  });
  window.on('closed', () => core.setVisible(false));

  if (location.kind === 'dev-server') void window.loadURL(location.url);
  else void window.loadFile(location.path);
  return window;
}

/**
 * The application menu with the usual shortcuts: Settings (Cmd/Ctrl+,), the views (Cmd/Ctrl+1…4),
 * edit commands (so copy and paste work in fields and logs), zoom, full screen, and on macOS the
 * app menu. Developer tools only in development.
 */
export function installApplicationMenu(openRoute: (route: string) => void): void {
  const isMac = process.platform === 'darwin';
  const go = (label: string, route: string, accelerator: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => openRoute(route),
  });
  const settings = go('Settings…', '#/settings', 'CmdOrCtrl+,');
  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            role: 'appMenu' as const,
            submenu: [
              { role: 'about' as const },
              { type: 'separator' as const },
              settings,
              { type: 'separator' as const },
              { role: 'hide' as const },
              { role: 'hideOthers' as const },
              { role: 'unhide' as const },
              { type: 'separator' as const },
              { role: 'quit' as const },
            ],
          },
        ]
      : []),
    {
      label: 'File',
      submenu: isMac
        ? [{ role: 'close' }]
        : [settings, { type: 'separator' }, { role: 'close' }, { role: 'quit' }],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        go('Pipelines', '#/', 'CmdOrCtrl+1'),
        go('Approvals inbox', '#/inbox', 'CmdOrCtrl+2'),
        go('Audit trail', '#/audit', 'CmdOrCtrl+3'),
        go('Settings', '#/settings', 'CmdOrCtrl+4'),
        { type: 'separator' },
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
