import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake server saw it, for assertions ("sent If-None-Match", "no token"). */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Wait this long before answering (stalls, time-outs). */
  delayMs?: number;
  /** Destroy the socket instead of answering (connection reset). */
  reset?: boolean;
}

export type FakeHandler = (request: SeenRequest) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeProvider {
  url: string;
  requests: SeenRequest[];
  /** Replace or add a route while running: key is "METHOD /path" (no query). */
  route(key: string, handler: FakeHandler): void;
  close(): Promise<void>;
}

/**
 * A fake CI server on 127.0.0.1 for contract tests: routes keyed by "METHOD /path", answering
 * with real fixture payloads; unknown routes get 404. Records every request.
 */
export async function startFakeProvider(
  routes: Record<string, FakeHandler> = {},
): Promise<FakeProvider> {
  const table = new Map(Object.entries(routes));
  const requests: SeenRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const seen: SeenRequest = {
          method: request.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        requests.push(seen);
        const handler = table.get(`${seen.method} ${seen.path}`);
        const answer: FakeAnswer = handler
          ? await handler(seen)
          : { status: 404, body: { message: 'Not Found' } };
        if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        if (answer.reset) {
          request.socket.destroy();
          return;
        }
        const isText = typeof answer.body === 'string';
        response.writeHead(answer.status ?? 200, {
          'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json',
          ...answer.headers,
        });
        response.end(
          answer.body === undefined ? '' : isText ? answer.body : JSON.stringify(answer.body),
        );
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (key, handler) => table.set(key, handler),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
