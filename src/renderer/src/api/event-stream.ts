import {
  EVENT_NAMES,
  events,
  type EventName,
  type EventPayload,
  type Unsubscribe,
} from '../../../shared/contract';
import type { ConnectionChange, ConnectionState } from './connection';

/** The part of the browser's EventSource the stream uses (a fake stands in for it in tests). */
export type EventSourceLike = {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
};

export type EventSourceFactory = (url: string) => EventSourceLike;

/** EventSource.CLOSED: the browser gave up (an HTTP error answer) and will not retry on its own. */
const CLOSED = 2;
/** Waits before reopening a stream the browser gave up on; the last one repeats. */
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

type AnyListener = (payload: unknown) => void;

/**
 * Server-sent events from serve mode, opened while anyone listens. Each SSE event's name is the
 * contract's event name and its data the JSON payload, validated before it is handed on. The
 * browser retries dropped connections itself; when it gives up (an HTTP error answer) this
 * reopens the stream with a growing delay. After any drop, the next open reports
 * `reconnected: true` so the store can refetch what it may have missed.
 */
export class EventStream {
  private readonly listeners = new Map<EventName, Set<AnyListener>>();
  private readonly connectionListeners = new Set<(change: ConnectionChange) => void>();
  private source: EventSourceLike | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private hadConnection = false;
  private state: ConnectionState = 'connecting';

  constructor(
    private readonly url: string,
    private readonly createSource: EventSourceFactory | null,
  ) {}

  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): Unsubscribe {
    const set = this.listeners.get(event) ?? new Set<AnyListener>();
    this.listeners.set(event, set);
    const entry = listener as AnyListener;
    set.add(entry);
    this.open();
    return () => {
      set.delete(entry);
      this.closeIfUnused();
    };
  }

  onConnectionChange(listener: (change: ConnectionChange) => void): Unsubscribe {
    this.connectionListeners.add(listener);
    this.open();
    listener({ state: this.state, reconnected: false });
    return () => {
      this.connectionListeners.delete(listener);
      this.closeIfUnused();
    };
  }

  private open(): void {
    if (this.source !== null || this.retryTimer !== null || this.createSource === null) return;
    const source = this.createSource(this.url);
    this.source = source;
    source.onopen = () => {
      const reconnected = this.hadConnection || this.failures > 0;
      this.hadConnection = true;
      this.failures = 0;
      this.report('open', reconnected);
    };
    source.onerror = () => {
      this.failures += 1;
      if (source.readyState === CLOSED) {
        source.close();
        if (this.source === source) this.source = null;
        this.scheduleRetry();
      }
      this.report('reconnecting', false);
    };
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (message) => this.dispatch(name, message.data));
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null || !this.isUsed()) return;
    const delay =
      RETRY_DELAYS_MS[Math.min(this.failures - 1, RETRY_DELAYS_MS.length - 1)] ?? 30_000;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  private dispatch(name: EventName, data: unknown): void {
    let payload: unknown;
    try {
      payload = JSON.parse(String(data));
    } catch {
      console.warn(`Pipewatch: ignored a "${name}" event whose data is not JSON.`);
      return;
    }
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) {
      console.warn(`Pipewatch: ignored a "${name}" event that does not match the contract.`);
      return;
    }
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        listener(parsed.data);
      } catch (error) {
        // One failing listener must not starve the others of the event.
        console.error(error);
      }
    }
  }

  private report(state: ConnectionState, reconnected: boolean): void {
    if (state === this.state && !reconnected) return;
    this.state = state;
    for (const listener of [...this.connectionListeners]) listener({ state, reconnected });
  }

  private isUsed(): boolean {
    if (this.connectionListeners.size > 0) return true;
    return [...this.listeners.values()].some((set) => set.size > 0);
  }

  private closeIfUnused(): void {
    if (this.isUsed()) return;
    this.source?.close();
    this.source = null;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failures = 0;
    this.hadConnection = false;
    this.state = 'connecting';
  }
}
