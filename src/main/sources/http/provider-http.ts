import { SourceError } from '../source';
import { redact } from './redact';
import { bodyChunks, bodySnippet, describeNetworkError } from './http-failures';
import { parseRetryAfter, serverClockSkew } from './retry-after';

export interface ProviderHttpOptions {
  /** For messages: "GitHub", "GitLab at gitlab.example.com". */
  providerName: string;
  baseUrl: string;
  /** Headers that carry credentials; never sent to another origin after a redirect. */
  authHeaders?: () => Record<string, string>;
  /** Other headers sent with every request (Accept, API version). */
  headers?: Record<string, string>;
  /** The secret values to scrub from every message. */
  secrets?: () => readonly (string | null | undefined)[];
  /**
   * Provider-specific rate-limit reading: when to come back (epoch ms) if this answer says the
   * budget is spent, else null. `Retry-After` is always honoured on top of it. `bodySnippet` is the
   * start of the error body (GitHub names its secondary rate limit only there).
   */
  rateLimitReset?: (response: Response, now: number, bodySnippet: string) => number | null;
  timeoutMs?: number;
  /** Largest body read into memory. */
  maxBodyBytes?: number;
  /** Largest text (a log) `getText` reads: logs run far bigger than any API answer. */
  maxTextBytes?: number;
  /**
   * How many URLs' ETags and bodies are kept for conditional GETs (least recently used go first),
   * so that a long-running poller that sees ever new URLs (one jobs list per run) stays bounded.
   */
  maxCachedBodies?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Send If-None-Match with the last ETag of this URL and serve the cached body on 304. */
  conditional?: boolean;
}

export interface JsonAnswer<T = unknown> {
  body: T;
  headers: Headers;
  /** The server answered 304: the body is the cached one. */
  notModified: boolean;
}

export interface BytesAnswer {
  bytes: Buffer;
  headers: Headers;
  /** The server answered 304: the bytes are the cached ones. */
  notModified: boolean;
}

/** Counts what polling costs, for the UI and the benchmarks. */
export interface HttpStats {
  requests: number;
  notModified: number;
  errors: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** A 250 MB log still fits a JavaScript string with room to spare (V8's limit is ~512 M characters). */
const DEFAULT_MAX_TEXT_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_CACHED_BODIES = 1000;
const MAX_REDIRECTS = 5;

/**
 * The thin HTTP layer every adapter shares: JSON and text requests with a time-out and the
 * poller's abort signal, conditional GETs with an ETag cache, redirects that never carry
 * credentials to another origin (signed log URLs), and every failure turned into a
 * `SourceError` whose message names the provider and never contains a secret.
 */
export class ProviderHttp {
  readonly stats: HttpStats = { requests: 0, notModified: 0, errors: 0 };
  private readonly etags = new Map<string, { etag: string; body: unknown }>();
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  /** Longest wait for one request, from sending it to the last byte of its body. */
  private readonly timeoutMs: number;

  constructor(private readonly options: ProviderHttpOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Resolves a path (or absolute URL) against the base URL, with query parameters. */
  url(path: string, query?: RequestOptions['query']): URL {
    const base = this.options.baseUrl.endsWith('/')
      ? this.options.baseUrl
      : `${this.options.baseUrl}/`;
    const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(path.replace(/^\//, ''), base);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** GET a JSON document. */
  async getJson<T = unknown>(path: string, options: RequestOptions = {}): Promise<JsonAnswer<T>> {
    const answer = await this.conditionalGet(path, options, 'application/json', (response, url) =>
      this.readJson(response, url),
    );
    return { body: answer.body as T, headers: answer.headers, notModified: answer.notModified };
  }

  /**
   * A GET that, with `conditional`, asks with the URL's last ETag and answers the cached body on
   * 304 — the same for JSON and for bytes, only the reading differs.
   */
  private async conditionalGet<T>(
    path: string,
    options: RequestOptions,
    accept: string,
    read: (response: Response, url: URL) => Promise<T>,
  ): Promise<{ body: T; headers: Headers; notModified: boolean }> {
    const url = this.url(path, options.query);
    const key = url.toString();
    const cached = options.conditional ? this.etags.get(key) : undefined;
    const headers: Record<string, string> = { Accept: accept, ...options.headers };
    if (cached) headers['If-None-Match'] = cached.etag;
    const response = await this.request('GET', url, { headers, signal: options.signal });
    if (response.status === 304 && cached) {
      this.stats.notModified += 1;
      await response.body?.cancel();
      this.remember(key, cached);
      return { body: cached.body as T, headers: response.headers, notModified: true };
    }
    const body = await read(response, url);
    const etag = response.headers.get('etag');
    if (options.conditional && etag) this.remember(key, { etag, body });
    return { body, headers: response.headers, notModified: false };
  }

  /** Keeps a URL's ETag and body as the most recently used, dropping the oldest beyond the bound. */
  private remember(key: string, entry: { etag: string; body: unknown }): void {
    this.etags.delete(key);
    this.etags.set(key, entry);
    const limit = this.options.maxCachedBodies ?? DEFAULT_MAX_CACHED_BODIES;
    for (const oldest of this.etags.keys()) {
      if (this.etags.size <= limit) break;
      this.etags.delete(oldest);
    }
  }

  /** GET text (a log), following redirects to signed URLs without credentials. */
  async getText(
    path: string,
    options: RequestOptions = {},
  ): Promise<{ text: string; headers: Headers }> {
    const answer = await this.getTextPieces(path, options);
    return { text: answer.pieces.join(''), headers: answer.headers };
  }

  /**
   * GET text (a log) as the pieces it arrives in, decoded as they come: a log of hundreds of
   * megabytes is never one buffer of bytes and one string at once, and one that passes the size
   * limit is stopped as soon as it does, whether or not the server said its length up front.
   */
  async getTextPieces(
    path: string,
    options: RequestOptions = {},
  ): Promise<{ pieces: string[]; headers: Headers }> {
    const url = this.url(path, options.query);
    const response = await this.request('GET', url, {
      headers: { Accept: 'text/plain, */*', ...options.headers },
      signal: options.signal,
    });
    const limit = this.options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
    // A BOM is dropped; invalid UTF-8 becomes U+FFFD, as `Buffer.toString` does.
    const decoder = new TextDecoder('utf-8');
    const pieces: string[] = [];
    for await (const chunk of this.bodyChunks(response, url, limit)) {
      const piece = decoder.decode(chunk, { stream: true });
      if (piece.length > 0) pieces.push(piece);
    }
    const rest = decoder.decode();
    if (rest.length > 0) pieces.push(rest);
    return { pieces, headers: response.headers };
  }

  /**
   * GET raw bytes, for documents whose character encoding the caller must decide (an XML feed
   * declaring latin-1). With `conditional`, a 304 answers the cached bytes.
   */
  async getBytes(path: string, options: RequestOptions = {}): Promise<BytesAnswer> {
    const answer = await this.conditionalGet(path, options, '*/*', (response, url) =>
      this.readBytes(response, url),
    );
    return { bytes: answer.body, headers: answer.headers, notModified: answer.notModified };
  }

  /** POST/PUT/DELETE with an optional JSON body; answers the parsed JSON (or null when empty). */
  async send<T = unknown>(
    method: 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<JsonAnswer<T | null>> {
    const url = this.url(path, options.query);
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    let payload: string | undefined;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await this.request(method, url, {
      headers,
      body: payload,
      signal: options.signal,
    });
    const text = await this.readText(response, url);
    if (text.trim() === '') return { body: null, headers: response.headers, notModified: false };
    return {
      body: this.parseJson(text, response, url) as T,
      headers: response.headers,
      notModified: false,
    };
  }

  /**
   * One request with redirects followed by hand: credentials go only to the base URL's origin.
   * Non-2xx answers (other than 304) become SourceErrors.
   */
  async request(
    method: string,
    url: URL,
    init: {
      headers: Record<string, string>;
      body?: string | undefined;
      signal?: AbortSignal | undefined;
      /**
       * False answers a 3xx as it is: form POSTs (Jenkins' stop, input submit) redirect to an HTML
       * page that must not be POSTed again.
       */
      followRedirects?: boolean | undefined;
    },
  ): Promise<Response> {
    const origin = new URL(this.options.baseUrl).origin;
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const sameOrigin = current.origin === origin;
      const headers = {
        'User-Agent': 'Pipewatch',
        ...this.options.headers,
        ...init.headers,
        ...(sameOrigin ? this.options.authHeaders?.() : {}),
      };
      const response = await this.fetchOnce(method, current, headers, init.body, init.signal);
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        if (init.followRedirects === false) return response;
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (!location)
          throw this.fail(
            'bad-response',
            `${this.options.providerName} redirected without a Location.`,
          );
        current = new URL(location, current);
        continue;
      }
      if (response.ok || response.status === 304) return response;
      throw await this.errorFor(response, current);
    }
    throw this.fail(
      'bad-response',
      `${this.options.providerName} redirected more than ${MAX_REDIRECTS} times.`,
    );
  }

  private async fetchOnce(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    this.stats.requests += 1;
    try {
      return await this.fetchImpl(url, {
        method,
        headers,
        body,
        signal: combined,
        redirect: 'manual',
      });
    } catch (error) {
      if (signal?.aborted) throw this.fail('unreachable', 'The request was cancelled.');
      const reason = timeout.aborted
        ? `no answer within ${Math.round(this.timeoutMs / 1000)} s`
        : describeNetworkError(error);
      throw this.fail(
        'unreachable',
        `Cannot reach ${this.options.providerName} at ${url.origin} (${reason}).`,
      );
    }
  }

  private async errorFor(response: Response, url: URL): Promise<SourceError> {
    const now = this.now();
    const snippet = await bodySnippet(response);
    // Times the server names are in its clock: read them there, then bring them into ours.
    const skew = serverClockSkew(response.headers.get('date'), now);
    const serverRetryAt =
      parseRetryAfter(response.headers.get('retry-after'), now + skew) ??
      this.options.rateLimitReset?.(response, now + skew, snippet) ??
      null;
    const retryAt = serverRetryAt === null ? null : Math.max(now, serverRetryAt - skew);
    const name = this.options.providerName;
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const said = snippet ? `: ${snippet}` : '';
    if (response.status === 401) {
      return this.fail(
        'auth',
        `${name} rejected the credentials (${status})${said}. Check the token.`,
      );
    }
    if (response.status === 429 || (response.status === 403 && retryAt !== null)) {
      return this.fail('rate-limited', `${name} rate limit reached (${status})${said}.`, retryAt);
    }
    if (response.status === 403) {
      return this.fail(
        'forbidden',
        `${name} refused access to ${url.pathname} (${status})${said}.`,
      );
    }
    if (response.status === 404) {
      return this.fail('not-found', `${name} has nothing at ${url.pathname} (${status}).`);
    }
    if (response.status >= 500) {
      return this.fail('server', `${name} had a server error (${status})${said}.`, retryAt);
    }
    return this.fail('bad-response', `${name} answered ${status}${said}.`);
  }

  private async readText(response: Response, url: URL, limit?: number): Promise<string> {
    return (await this.readBytes(response, url, limit)).toString('utf8').replace(/^\uFEFF/, '');
  }

  private async readBytes(
    response: Response,
    url: URL,
    limit = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  ): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.bodyChunks(response, url, limit)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /** The body as it arrives, stopped at `limit` bytes (see `bodyChunks`), with our words for failures. */
  private bodyChunks(response: Response, url: URL, limit: number): AsyncGenerator<Uint8Array> {
    const provider = this.options.providerName;
    return bodyChunks(response, limit, {
      declaredTooBig: (declared) =>
        this.fail(
          'bad-response',
          `${provider} sent ${declared} bytes for ${url.pathname}, more than the ${limit}-byte limit.`,
        ),
      tooBig: () =>
        this.fail('bad-response', `${provider} sent more than ${limit} bytes for ${url.pathname}.`),
      cutOff: (error) => {
        // The request's time-out runs on while the body arrives: a body that stalls is cut by it.
        const reason =
          error instanceof Error && error.name === 'TimeoutError'
            ? `no answer within ${Math.round(this.timeoutMs / 1000)} s`
            : describeNetworkError(error);
        return this.fail(
          'unreachable',
          `The answer from ${provider} to ${url.pathname} was cut off (${reason}).`,
        );
      },
    });
  }

  private async readJson(response: Response, url: URL): Promise<unknown> {
    return this.parseJson(await this.readText(response, url), response, url);
  }

  private parseJson(text: string, response: Response, url: URL): unknown {
    try {
      return JSON.parse(text);
    } catch {
      const type = response.headers.get('content-type') ?? 'no content type';
      const start = text.slice(0, 80).replace(/\s+/g, ' ').trim();
      throw this.fail(
        'bad-response',
        `${this.options.providerName} sent something that is not JSON for ${url.pathname} (${type}): "${start}".`,
      );
    }
  }

  private fail(
    kind: SourceError['kind'],
    message: string,
    retryAt: number | null = null,
  ): SourceError {
    this.stats.errors += 1;
    return new SourceError(kind, redact(message, this.options.secrets?.() ?? []), retryAt);
  }
}
