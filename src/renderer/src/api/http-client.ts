import {
  ApiError,
  OPERATION_NAMES,
  type ApiClient,
  type OperationInput,
  type OperationName,
} from '../../../shared/contract';
import type { ConnectionAware } from './connection';
import { EventStream, type EventSourceFactory } from './event-stream';
import { buildRequest, errorFromResponse, eventStreamUrl } from './http-request';

/** How the HTTP client reaches serve mode. */
export type HttpClientOptions = {
  /** Origin (and path prefix) of the server; empty means the page's own origin. */
  baseUrl?: string;
  /** Serve mode's access token: sent as a Bearer header and as `?token=` on the event stream. */
  token?: string | null;
  /** Stands in for `fetch` in tests. */
  fetch?: typeof fetch;
  /** Stands in for `new EventSource(url)` in tests. */
  eventSource?: EventSourceFactory;
};

type Call = (input: unknown) => Promise<unknown>;

/**
 * The API contract over HTTP + server-sent events (serve mode), built from the contract's
 * `operations` table so that a new operation needs no edit here.
 */
export function createHttpClient(options: HttpClientOptions = {}): ApiClient & ConnectionAware {
  const baseUrl = options.baseUrl ?? '';
  const token = options.token ?? null;
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const stream = new EventStream(
    eventStreamUrl(baseUrl, token),
    options.eventSource ?? browserEventSource(),
  );

  async function call(name: OperationName, input: unknown): Promise<unknown> {
    const request = buildRequest(name, input as OperationInput<typeof name>, baseUrl, token);
    let response: Response;
    try {
      response = await send(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        credentials: 'same-origin',
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ApiError('internal', `Cannot reach the Pipewatch server (${reason}).`);
    }
    if (!response.ok) throw await errorFromResponse(response);
    try {
      return await response.json();
    } catch {
      throw new ApiError('internal', `The server's answer to ${name} is not valid JSON.`);
    }
  }

  const calls = Object.fromEntries(
    OPERATION_NAMES.map((name): [OperationName, Call] => [name, (input) => call(name, input)]),
  );
  // The table is built generically, so the compiler cannot see it matches ApiClient key by key.
  return {
    ...(calls as unknown as Omit<ApiClient, 'on'>),
    on: (event, listener) => stream.on(event, listener),
    onConnectionChange: (listener) => stream.onConnectionChange(listener),
  };
}

function browserEventSource(): EventSourceFactory | null {
  if (typeof EventSource === 'undefined') return null;
  return (url) => new EventSource(url);
}
