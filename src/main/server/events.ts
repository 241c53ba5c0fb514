import type { ServerResponse } from 'node:http';
import type { Core, CoreEvent } from '../core-types';

/**
 * The event stream of serve mode: the core's pushed events as server-sent events, one
 * `event: <name>` / `data: <json>` block each, so a browser's EventSource delivers them by name.
 */

/** Proxies drop connections that stay silent; a comment line every 15 s keeps them open. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

/**
 * A client that reads slower than events arrive would make us buffer without bound; past this
 * many unsent bytes it is dropped, and EventSource reconnects and re-reads current state.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Formats one event as a server-sent-events block. */
export function formatServerSentEvent(event: CoreEvent): string {
  // JSON.stringify never emits raw newlines, so the payload fits one `data:` line.
  return `event: ${event.name}\ndata: ${JSON.stringify(event.payload)}\n\n`;
}

/** One open event stream; `close` ends it from the server side (shutdown). */
export interface EventStream {
  close(): void;
}

/**
 * Starts streaming the core's events to one response and stops (unsubscribing from the core)
 * when the client goes away or `close` is called.
 */
export function openEventStream(
  response: ServerResponse,
  core: Core,
  options: { heartbeatIntervalMs?: number; onClosed?: () => void } = {},
): EventStream {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    // The stream is the connection's last response: when it ends, the socket goes too, so
    // shutting down never waits for a kept-alive connection to time out.
    Connection: 'close',
    // Tells nginx-style proxies not to buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  // A first line makes the browser fire `open` at once instead of at the first event.
  response.write(': connected\n\nretry: 3000\n\n');

  let closed = false;
  const write = (chunk: string): void => {
    if (closed) return;
    if (response.writableLength > MAX_BUFFERED_BYTES) {
      response.destroy();
      return;
    }
    response.write(chunk);
  };
  const unsubscribe = core.subscribe((event) => write(formatServerSentEvent(event)));
  const heartbeat = setInterval(
    () => write(': heartbeat\n\n'),
    options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS,
  );
  heartbeat.unref();

  const stop = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    options.onClosed?.();
  };
  response.on('close', stop);

  return {
    close() {
      stop();
      response.end();
    },
  };
}
