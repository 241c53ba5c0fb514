import { takeAccessToken } from './access-token';
import type { RendererClient } from './connection';
import { createHttpClient } from './http-client';
import { createIpcClient } from './ipc-client';

/** IPC inside Electron (the preload defined `window.pipewatch`), HTTP in a browser. */
export function createClient(): RendererClient {
  if (window.pipewatch) return createIpcClient(window.pipewatch);
  const token = takeAccessToken({
    location: window.location,
    history: window.history,
    storage: {
      // Reading window.sessionStorage itself throws where storage is disabled.
      getItem: (key) => window.sessionStorage.getItem(key),
      setItem: (key, value) => window.sessionStorage.setItem(key, value),
    },
  });
  return createHttpClient({ token });
}
