import { realpath } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { version } from '../../../package.json';
import { parseInput, type OperationName } from '../../shared/contract';
import type { Core } from '../core-types';
import {
  createAuthenticator,
  hostForUrl,
  isAllowedHostHeader,
  type RequestAuthenticator,
} from './auth';
import { errorBody, errorResponseFor } from './error-responses';
import { openEventStream, type EventStream } from './events';
import { readJsonObject, refusePost } from './request-body';
import { matchRoute } from './routes';
import { SECURITY_HEADERS } from './security-headers';
import { lookUpStaticFile, sendStaticFile } from './static-files';

/** How long `close` waits for requests in flight before cutting their connections. */
const CLOSE_GRACE_MS = 2000;

export interface HttpServerOptions {
  core: Core;
  host: string;
  /** 0 picks any free port. */
  port: number;
  /** When set, every request must present it (header, `?token=` or the session cookie). */
  token: string | null;
  /** The built renderer (`out/renderer`); null serves the API only. */
  staticDir: string | null;
  log?: (line: string) => void;
  /** For tests; 15 s otherwise. */
  heartbeatIntervalMs?: number;
}

export interface RunningHttpServer {
  /** `http://host:port/`, without the token. */
  url: string;
  port: number;
  /** Ends event streams, stops accepting connections and waits for requests in flight. */
  close(): Promise<void>;
}

type Reply = (status: number, body: unknown, headers?: OutgoingHttpHeaders) => void;

function replyTo(response: ServerResponse, shuttingDown: () => boolean): Reply {
  return (status, body, headers = {}) => {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    // While closing, a kept-alive connection would hold `server.close` open until it times out.
    if (shuttingDown()) response.setHeader('Connection', 'close');
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      'Cache-Control': 'no-store',
      ...headers,
    });
    response.end(text);
  };
}

function callOperation(core: Core, name: OperationName, input: unknown): Promise<unknown> {
  // parseInput checked `input` against this very operation's schema, so the call is well typed;
  // TypeScript cannot follow a union of operation names through an index, hence the cast.
  const handler = core.api[name] as (parsed: unknown) => Promise<unknown>;
  return handler(parseInput(name, input));
}

/**
 * Starts serve mode's HTTP server: the contract's operations as JSON endpoints, the core's events
 * as server-sent events, and the built renderer as static files, behind the token check.
 * Rejects with the listen error (e.g. `EADDRINUSE`) when the port cannot be bound.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { core, host, token } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const staticRoot =
    options.staticDir === null ? null : await realpath(options.staticDir).catch(() => null);
  if (options.staticDir !== null && staticRoot === null) {
    log(`The renderer folder ${options.staticDir} does not exist; serving the API only.`);
  }
  const streams = new Set<EventStream>();
  let shuttingDown = false;
  let authenticator: RequestAuthenticator = createAuthenticator(token, options.port);

  async function serveApi(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    reply: Reply,
  ): Promise<void> {
    const method = request.method ?? 'GET';
    if (url.pathname === '/api/health' && method === 'GET') {
      reply(200, { ok: true, version });
      return;
    }
    if (url.pathname === '/api/events' && method === 'GET') {
      const stream = openEventStream(response, core, {
        heartbeatIntervalMs: options.heartbeatIntervalMs,
        onClosed: () => streams.delete(stream),
      });
      streams.add(stream);
      return;
    }
    const route = matchRoute(method, url.pathname);
    if (route.kind === 'none') {
      reply(404, errorBody('not-found', `There is no API endpoint ${method} ${url.pathname}.`));
      return;
    }
    if (route.kind === 'wrong-method') {
      reply(
        405,
        errorBody('bad-request', `${url.pathname} accepts ${route.allowed.join(', ')} only.`),
        {
          Allow: route.allowed.join(', '),
        },
      );
      return;
    }
    if (route.kind === 'malformed') {
      reply(400, errorBody('bad-request', `${route.parameter}: not valid percent-encoding`));
      return;
    }

    let body: Record<string, unknown>;
    if (method === 'POST') {
      const refusal = refusePost(request);
      if (refusal !== null) {
        reply(refusal.status, refusal.error);
        return;
      }
      const read = await readJsonObject(request);
      if (read.kind === 'refused') {
        reply(read.status, read.error, read.status === 413 ? { Connection: 'close' } : {});
        return;
      }
      body = read.body;
    } else {
      const query = new URLSearchParams(url.searchParams);
      query.delete('token');
      body = Object.fromEntries(query);
    }
    // Path parameters win, so a body cannot redirect a decision to another gate.
    const result = await callOperation(core, route.name, { ...body, ...route.params });
    reply(200, result);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const reply = replyTo(response, () => shuttingDown);
    const rawUrl = request.url ?? '/';
    if (!rawUrl.startsWith('/')) {
      reply(400, errorBody('bad-request', 'The request target must be a path.'));
      return;
    }
    let url: URL;
    try {
      url = new URL(`http://pipewatch.invalid${rawUrl}`);
    } catch {
      reply(400, errorBody('bad-request', 'The request target is not a valid path.'));
      return;
    }
    const method = request.method ?? 'GET';
    try {
      if (!isAllowedHostHeader(request.headers.host, host)) {
        reply(
          403,
          errorBody('unauthorized', 'This server answers only to localhost, 127.0.0.1 or [::1].'),
        );
        return;
      }
      const auth = authenticator.authenticate(request.headers, url.searchParams);
      if (!auth.ok) {
        reply(
          401,
          errorBody(
            'unauthorized',
            'This server needs its access token: open the URL it printed, or send Authorization: Bearer <token>.',
          ),
          { 'WWW-Authenticate': 'Bearer realm="pipewatch"' },
        );
        return;
      }
      if (auth.setCookie !== null) response.setHeader('Set-Cookie', auth.setCookie);

      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
        await serveApi(request, response, url, reply);
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        reply(405, errorBody('bad-request', 'Pages accept GET and HEAD only.'), {
          Allow: 'GET, HEAD',
        });
        return;
      }
      if (staticRoot === null) {
        reply(
          404,
          errorBody(
            'not-found',
            'The Pipewatch UI is not built here; run `npx electron-vite build` and restart. The API under /api/ works.',
          ),
        );
        return;
      }
      const file = await lookUpStaticFile(staticRoot, url.pathname);
      if (file.kind === 'refused') {
        reply(400, errorBody('bad-request', 'That path is not allowed.'));
      } else if (file.kind === 'missing') {
        reply(404, errorBody('not-found', `There is no file ${url.pathname}.`));
      } else {
        if (shuttingDown) response.setHeader('Connection', 'close');
        sendStaticFile(response, file, method === 'HEAD');
      }
    } catch (error) {
      const answer = errorResponseFor(error);
      if (answer.unexpected) {
        // The path only: the query string may hold the token.
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`${method} ${url.pathname} failed: ${detail}`);
      }
      reply(answer.status, answer.body);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`Unhandled error while answering a request: ${String(error)}`);
      response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`HTTP server error: ${error.message}`));

  const port = (server.address() as AddressInfo).port;
  authenticator = createAuthenticator(token, port);

  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostForUrl(host)}:${port}/`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        shuttingDown = true;
        for (const stream of streams) stream.close();
        streams.clear();
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
