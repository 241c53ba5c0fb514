import { join } from 'node:path';
import { app, BrowserWindow, shell, type Session } from 'electron';
import { externalUrl, isAppUrl, type RendererLocation } from './app-url';
import type { Core } from './core-types';
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

/**
 * The main window: sandboxed, isolated, no Node, only our own page; links to CI servers open in
 * the system browser; hiding or minimizing it slows the poller down.
 */
export function createMainWindow(options: {
  core: Core;
  location: RendererLocation;
}): BrowserWindow {
  const { core, location } = options;
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Pipewatch',
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
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => core.setVisible(false));

  if (location.kind === 'dev-server') void window.loadURL(location.url);
  else void window.loadFile(location.path);
  return window;
}
