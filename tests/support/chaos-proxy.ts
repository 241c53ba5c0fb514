import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of a fake CI server that injects the faults real servers and the
 * networks in between produce: errors with and without `Retry-After`, rate limits, a token
 * revoked mid-session, connection resets, stalls, truncated and malformed bodies, the wrong
 * content type, huge answers and a far-off clock. Every fault is bounded in time (a stall holds
 * the connection for `stallMs`, then drops it), so a test using it stops by itself.
 */

export const FAULT_KINDS = [
  'server-error',
  'unavailable',
  'rate-limited',
  'secondary-rate-limit',
  'unauthorized',
  'reset',
  'stall',
  'truncated',
  'malformed',
  'wrong-content-type',
  'huge',
  'oversized',
  'clock-skew',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  kind: FaultKind;
  /** For 'unavailable', 'rate-limited' and 'secondary-rate-limit': when to come back. */
  retryAfterSeconds?: number;
  /** Send `Retry-After` as an HTTP date rather than as seconds. */
  retryAfterAsDate?: boolean;
  /** For 'unavailable': 502 or 503 (503 by default). */
  status?: 502 | 503;
  /**
   * For 'clock-skew': how far the `Date` header is off (negative: in the past). For a
   * `Retry-After` date: the server's clock is this far off, its `Date` and `Retry-After` both
   * written in it — the client must wait `retryAfterSeconds` all the same.
   */
  skewMs?: number;
}

/** A request as it reached the proxy. */
export interface ProxiedRequest {
  method: string;
  path: string;
  search: string;
  headers: IncomingMessage['headers'];
  /** Epoch ms. */
  arrivedAt: number;
}

/** What the proxy answered, for the test's bookkeeping. */
export interface ProxiedAnswer {
  request: ProxiedRequest;
  fault: Fault | null;
  /** The status sent, or null when the connection was dropped before an answer. */
  status: number | null;
  /** When a fault said to come back (epoch ms), else null. */
  retryAt: number | null;
  /** The upstream body the client received intact (forwarded, or 'huge'/'clock-skew'), else null. */
  deliveredBody: string | null;
  /** Epoch ms, right before the answer's first byte (or the drop). */
  answeredAt: number;
}

/** Requests held by proxies sharing it, counted from arrival until the answer starts. */
export interface ConcurrencyGauge {
  current: number;
  max: number;
  /** The requests held when the count was highest, for a failure message. */
  atMax?: string[];
}

export interface ChaosProxyOptions {
  /** The fake server's origin, e.g. `http://127.0.0.1:41234`. */
  upstream: string;
  /** The fault for a request, or null to forward it untouched. */
  decide: (request: ProxiedRequest) => Fault | null;
  onAnswer?: (answer: ProxiedAnswer) => void;
  /** Where a request is counted while held (polls and log fetches apart, say); null: nowhere. */
  gauge?: (request: ProxiedRequest) => ConcurrencyGauge | null;
  /**
   * How long a stall holds the connection before dropping it, unless the client gives up first
   * (its own request timeout): then the request stops counting as held.
   */
  stallMs?: number;
  /** Padding added to a 'huge' answer. */
  hugeBytes?: number;
  /** Content-Length an 'oversized' answer declares (beyond the client's body limit). */
  oversizedBytes?: number;
}

export interface ChaosProxy {
  url: string;
  close(): Promise<void>;
}

const SECONDARY_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Corporate proxy login</form></body></html>';

/** Hop-by-hop and length headers the proxy must not copy from one side to the other. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'host',
]);

function forwardableHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!NOT_FORWARDED.has(name)) result[name] = value;
  });
  return result;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Valid JSON with a large padding field, in an object or the first object of an array. */
function padded(body: string, bytes: number): string {
  const padding = 'x'.repeat(bytes);
  try {
    const value = JSON.parse(body) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'object' && value[0] !== null) {
      value[0] = { ...value[0], _padding: padding };
      return JSON.stringify(value);
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return JSON.stringify({ ...value, _padding: padding });
    }
  } catch {
    // Not JSON: pad it as it is.
  }
  // An empty list (or any JSON) stays valid with whitespace after it.
  return `${body}${' '.repeat(bytes)}`;
}

/** What the proxies sharing a gauge hold right now, for the failure message. */
const heldByGauge = new WeakMap<ConcurrencyGauge, Set<string>>();

function heldRequests(gauge: ConcurrencyGauge): Set<string> {
  const held = heldByGauge.get(gauge) ?? new Set<string>();
  heldByGauge.set(gauge, held);
  return held;
}

/** Starts a proxy on 127.0.0.1 (a free port) in front of `options.upstream`. */
export async function startChaosProxy(options: ChaosProxyOptions): Promise<ChaosProxy> {
  const stallMs = options.stallMs ?? 2000;
  const hugeBytes = options.hugeBytes ?? 4 * 1024 * 1024;
  const oversizedBytes = options.oversizedBytes ?? 80 * 1024 * 1024;
  const timers = new Set<NodeJS.Timeout>();
  const wait = (milliseconds: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, milliseconds);
      timers.add(timer);
    });

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://proxy.invalid');
    const request: ProxiedRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      search: url.search,
      headers: incoming.headers,
      arrivedAt: Date.now(),
    };
    const gauge = options.gauge?.(request) ?? null;
    const description = `${request.method} ${options.upstream}${request.path} since ${request.arrivedAt}`;
    const held = gauge ? heldRequests(gauge) : null;
    let counted = gauge !== null;
    if (gauge && held) {
      gauge.current += 1;
      held.add(description);
      if (gauge.current > gauge.max) {
        gauge.max = gauge.current;
        gauge.atMax = [...held];
      }
    }
    /** Called right before the client can see anything: the request no longer counts as held. */
    const release = (): number => {
      if (counted && gauge) {
        gauge.current -= 1;
        held?.delete(description);
      }
      counted = false;
      return Date.now();
    };
    const report = (answer: Omit<ProxiedAnswer, 'request' | 'answeredAt'>, at: number) =>
      options.onAnswer?.({ request, answeredAt: at, ...answer });

    try {
      const body = await readBody(incoming);
      const fault = options.decide(request);

      const upstream = async (conditional: boolean) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (NOT_FORWARDED.has(name) || value === undefined) continue;
          if (!conditional && name === 'if-none-match') continue;
          headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        const answer = await fetch(`${options.upstream}${url.pathname}${url.search}`, {
          method: request.method,
          headers,
          body: body.length > 0 ? new Uint8Array(body) : undefined,
          redirect: 'manual',
        });
        return {
          status: answer.status,
          headers: forwardableHeaders(answer.headers),
          text: await answer.text(),
        };
      };

      const sendJson = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(value);
        const at = release();
        response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        response.end(text);
        return at;
      };
      const retryHeaders = (
        seconds: number,
      ): { headers: Record<string, string>; retryAt: number } => {
        const retryAt = Date.now() + seconds * 1000;
        if (!fault?.retryAfterAsDate) {
          return { headers: { 'Retry-After': String(seconds) }, retryAt };
        }
        const skew = fault.skewMs ?? 0;
        const serverNow = new Date(Date.now() + skew).toUTCString();
        const value = new Date(retryAt + skew).toUTCString();
        // An HTTP date has whole seconds: the instant it names (in our clock) is what the client
        // must honour — Date and Retry-After are rounded alike, so their difference stands.
        const honoured = Date.parse(value) - skew;
        return { headers: { Date: serverNow, 'Retry-After': value }, retryAt: honoured };
      };

      if (fault === null) {
        const answer = await upstream(true);
        const at = release();
        response.writeHead(answer.status, answer.headers);
        response.end(answer.text);
        report({ fault, status: answer.status, retryAt: null, deliveredBody: answer.text }, at);
        return;
      }

      switch (fault.kind) {
        case 'server-error': {
          const at = sendJson(500, { message: 'Internal Server Error' });
          report({ fault, status: 500, retryAt: null, deliveredBody: null }, at);
          return;
        }
        case 'unavailable':
        case 'rate-limited':
        case 'secondary-rate-limit': {
          const status =
            fault.kind === 'unavailable'
              ? (fault.status ?? 503)
              : fault.kind === 'rate-limited'
                ? 429
                : 403;
          const message =
            fault.kind === 'secondary-rate-limit'
              ? SECONDARY_LIMIT_MESSAGE
              : fault.kind === 'rate-limited'
                ? 'API rate limit exceeded'
                : 'Service Unavailable';
          const { headers, retryAt } = retryHeaders(fault.retryAfterSeconds ?? 2);
          const at = sendJson(status, { message }, headers);
          report({ fault, status, retryAt, deliveredBody: null }, at);
          return;
        }
        case 'unauthorized': {
          const at = sendJson(401, { message: 'Bad credentials' });
          report({ fault, status: 401, retryAt: null, deliveredBody: null }, at);
          return;
        }
        case 'reset':
        case 'stall': {
          if (fault.kind === 'stall') {
            await Promise.race([
              wait(stallMs),
              new Promise((resolve) => incoming.socket.once('close', resolve)),
            ]);
          }
          const at = release();
          incoming.socket.destroy();
          report({ fault, status: null, retryAt: null, deliveredBody: null }, at);
          return;
        }
        case 'truncated': {
          const answer = await upstream(false);
          const full = Buffer.from(answer.text);
          const at = release();
          response.writeHead(answer.status, {
            ...answer.headers,
            'Content-Length': String(full.length + 16),
          });
          response.write(full.subarray(0, Math.floor(full.length / 2)));
          // Let the first half leave before the connection drops.
          setImmediate(() => incoming.socket.destroy());
          report({ fault, status: answer.status, retryAt: null, deliveredBody: null }, at);
          return;
        }
        case 'malformed': {
          const answer = await upstream(false);
          const at = release();
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(`${answer.text.slice(0, Math.floor(answer.text.length / 2))}{"unclosed": [`);
          report({ fault, status: 200, retryAt: null, deliveredBody: null }, at);
          return;
        }
        case 'wrong-content-type': {
          const at = release();
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          response.end(LOGIN_PAGE);
          report({ fault, status: 200, retryAt: null, deliveredBody: null }, at);
          return;
        }
        case 'huge': {
          const answer = await upstream(false);
          const text = answer.status === 200 ? padded(answer.text, hugeBytes) : answer.text;
          // Without its ETag: a padded body cached for conditional requests would hold memory
          // until that URL changes, which would blur the memory figure of a soak.
          const { etag: _etag, ...headers } = answer.headers;
          const at = release();
          response.writeHead(answer.status, headers);
          response.end(text);
          report({ fault, status: answer.status, retryAt: null, deliveredBody: answer.text }, at);
          return;
        }
        case 'oversized': {
          const at = release();
          response.writeHead(200, {
            'Content-Type': 'application/json',
            'Content-Length': String(oversizedBytes),
          });
          response.write(`[${' '.repeat(64 * 1024)}`);
          // The client refuses by the declared length and hangs up; never send the rest.
          await Promise.race([
            new Promise((resolve) => response.once('close', resolve)),
            wait(1000),
          ]);
          incoming.socket.destroy();
          report({ fault, status: 200, retryAt: null, deliveredBody: null }, at);
          return;
        }
        case 'clock-skew': {
          const answer = await upstream(true);
          const at = release();
          response.writeHead(answer.status, {
            ...answer.headers,
            Date: new Date(Date.now() + (fault.skewMs ?? 400 * 86_400_000)).toUTCString(),
          });
          response.end(answer.text);
          report({ fault, status: answer.status, retryAt: null, deliveredBody: answer.text }, at);
          return;
        }
      }
    } catch {
      const at = release();
      if (!response.headersSent) response.writeHead(502).end();
      else incoming.socket.destroy();
      report({ fault: null, status: 502, retryAt: null, deliveredBody: null }, at);
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
