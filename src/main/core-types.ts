import type { ApiHandlers, EventName, EventPayload } from '../shared/contract';

/** A pushed event as it leaves the core, for any transport (IPC, server-sent events). */
export type CoreEvent = { [K in EventName]: { name: K; payload: EventPayload<K> } }[EventName];

export type CoreEventListener = (event: CoreEvent) => void;

/**
 * The running core: store + sources + poller + services, the same for the Electron shell and
 * serve mode. Shells only translate transports; every rule lives behind this interface.
 */
export interface Core {
  readonly api: ApiHandlers;
  subscribe(listener: CoreEventListener): () => void;
  /** Slows polling while no one is looking (hidden window) and speeds it back up. */
  setVisible(visible: boolean): void;
  /** Stops polling, waits for polls in flight, closes the database. Idempotent. */
  stop(): Promise<void>;
}
