import type { ApiClient } from '../../../shared/contract';

/**
 * The API contract over Electron IPC: the preload already exposes one function per operation
 * name and `on(event, cb)` as `window.pipewatch`, so the bridge is the client.
 */
export function createIpcClient(bridge: ApiClient): ApiClient {
  return bridge;
}
