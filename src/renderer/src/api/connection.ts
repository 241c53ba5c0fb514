import type { ApiClient, Unsubscribe } from '../../../shared/contract';

/** The state of the push channel: the HTTP client's event stream (IPC is always `open`). */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

/** A change of the push channel; `reconnected` means events may have been missed meanwhile. */
export type ConnectionChange = { state: ConnectionState; reconnected: boolean };

/** A transport that can tell when its push channel drops and comes back. */
export type ConnectionAware = {
  onConnectionChange(listener: (change: ConnectionChange) => void): Unsubscribe;
};

/** The API contract, optionally with connection reports (the HTTP client has them). */
export type RendererClient = ApiClient & Partial<ConnectionAware>;
