import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/shared/contract';
import type { Source } from '../../src/shared/model';
import { takeAccessToken, TOKEN_STORAGE_KEY } from '../../src/renderer/src/api/access-token';
import type { ConnectionChange } from '../../src/renderer/src/api/connection';
import type { EventSourceLike } from '../../src/renderer/src/api/event-stream';
import { createHttpClient } from '../../src/renderer/src/api/http-client';
import { buildRequest, eventStreamUrl } from '../../src/renderer/src/api/http-request';

/** A fetch that records requests and answers from a list. */
function fakeFetch(answers: Array<() => Response>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const answer = answers.shift();
    if (!answer) throw new TypeError('Failed to fetch');
    return answer();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('HTTP requests built from the contract table', () => {
  it('a GET puts path parameters in the path and the rest in the query string', () => {
    const request = buildRequest('builds/list', { pipelineId: 3, limit: 20, branch: 'main' });
    expect(request).toEqual({
      method: 'GET',
      url: '/api/pipelines/3/builds?limit=20&branch=main',
      headers: { Accept: 'application/json' },
    });
  });

  it('leaves out parameters that are not given', () => {
    const request = buildRequest('builds/list', { pipelineId: 3, before: undefined });
    expect(request.url).toBe('/api/pipelines/3/builds');
  });

  it('a POST sends the rest as a JSON body, with the token as a Bearer header', () => {
    const request = buildRequest(
      'gates/decide',
      { gateId: 7, decision: 'approve', comment: 'ship it', requestId: 'req-12345678' },
      'http://127.0.0.1:4000/',
      's3cret',
    );
    expect(request.method).toBe('POST');
    expect(request.url).toBe('http://127.0.0.1:4000/api/gates/7/decide');
    expect(request.headers).toEqual({
      Accept: 'application/json',
      Authorization: 'Bearer s3cret',
      'Content-Type': 'application/json',
    });
    expect(JSON.parse(request.body!)).toEqual({
      decision: 'approve',
      comment: 'ship it',
      requestId: 'req-12345678',
    });
  });

  it('encodes path parameters and refuses a missing one', () => {
    expect(buildRequest('logs/get', { stepId: '1/2' as unknown as number }).url).toBe(
      '/api/steps/1%2F2/log',
    );
    expect(() => buildRequest('builds/get', {} as { buildId: number })).toThrow(
      'builds/get: buildId is required',
    );
  });

  it('puts the token on the event stream URL, since EventSource cannot send headers', () => {
    expect(eventStreamUrl('', 'a b&c')).toBe('/api/events?token=a%20b%26c');
    expect(eventStreamUrl('http://host:1/', null)).toBe('http://host:1/api/events');
  });
});

describe('the HTTP client', () => {
  it('calls fetch with the built request and returns the JSON answer', async () => {
    const { fetch, calls } = fakeFetch([() => json([{ id: 1, name: 'Catalog' }])]);
    const client = createHttpClient({ fetch, token: 'tok', eventSource: undefined });
    await expect(client['pipelines/list']({ builds: 3 })).resolves.toEqual([
      { id: 1, name: 'Catalog' },
    ]);
    expect(calls[0]!.url).toBe('/api/pipelines?builds=3');
    expect(calls[0]!.init.method).toBe('GET');
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('turns a { code, message } error answer into an ApiError with those words', async () => {
    const { fetch } = fakeFetch([() => json({ code: 'not-found', message: 'No build 999.' }, 404)]);
    const client = createHttpClient({ fetch });
    const failure = client['builds/get']({ buildId: 999 });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ code: 'not-found', message: 'No build 999.' });
  });

  it('names the HTTP status when the error answer is not the contract shape', async () => {
    const { fetch } = fakeFetch([
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    ]);
    const client = createHttpClient({ fetch });
    await expect(client['sources/list']({})).rejects.toMatchObject({
      code: 'internal',
      message: 'The server answered HTTP 502 Bad Gateway.',
    });
  });

  it('says the server cannot be reached when fetch itself fails', async () => {
    const { fetch } = fakeFetch([]);
    const client = createHttpClient({ fetch });
    await expect(client['sources/list']({})).rejects.toThrow('Cannot reach the Pipewatch server');
  });
});

/** An EventSource stand-in the test drives by hand. */
class FakeEventSource implements EventSourceLike {
  static opened: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly handlers = new Map<string, Array<(event: MessageEvent) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  fail(giveUp: boolean): void {
    this.readyState = giveUp ? 2 : 0;
    this.onerror?.(new Event('error'));
  }
  send(type: string, data: string): void {
    for (const handler of this.handlers.get(type) ?? []) {
      handler(new MessageEvent(type, { data }));
    }
  }
}

function streamingClient() {
  FakeEventSource.opened = [];
  const client = createHttpClient({
    token: 'tok',
    fetch: fakeFetch([]).fetch,
    eventSource: (url) => new FakeEventSource(url),
  });
  return client;
}

const demoSource: Source = {
  id: 1,
  key: 'demo',
  kind: 'demo',
  name: 'Demo CI',
  baseUrl: null,
  isDemo: true,
  enabled: true,
  capabilities: [],
  rateLimit: null,
  minimumIntervalSeconds: null,
  health: {
    state: 'ok',
    message: null,
    lastPollAt: null,
    lastSuccessAt: null,
    nextPollAt: null,
    backoffUntil: null,
    consecutiveFailures: 0,
  },
};

describe('pushed events over server-sent events', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens one stream with the token and hands each named event its parsed payload', () => {
    const client = streamingClient();
    const builds = vi.fn();
    const sources = vi.fn();
    client.on('builds/changed', builds);
    client.on('sources/changed', sources);
    expect(FakeEventSource.opened.map((source) => source.url)).toEqual(['/api/events?token=tok']);
    const [stream] = FakeEventSource.opened;
    stream!.open();
    stream!.send('builds/changed', JSON.stringify({ pipelineIds: [1], buildIds: [121] }));
    stream!.send('sources/changed', JSON.stringify({ source: demoSource }));
    expect(builds).toHaveBeenCalledWith({ pipelineIds: [1], buildIds: [121] });
    expect(sources).toHaveBeenCalledWith({ source: demoSource });
  });

  it('drops events whose data is not JSON or not the contract shape', () => {
    const client = streamingClient();
    const builds = vi.fn();
    client.on('builds/changed', builds);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    FakeEventSource.opened[0]!.send('builds/changed', '<b>not json</b>');
    FakeEventSource.opened[0]!.send('builds/changed', JSON.stringify({ pipelineIds: 'all' }));
    expect(builds).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('reports a drop and then a reconnect, so the store can refetch what it missed', () => {
    const client = streamingClient();
    const changes: ConnectionChange[] = [];
    client.onConnectionChange((change) => changes.push(change));
    const stream = FakeEventSource.opened[0]!;
    stream.open();
    stream.fail(false);
    stream.open();
    expect(changes).toEqual([
      { state: 'connecting', reconnected: false },
      { state: 'open', reconnected: false },
      { state: 'reconnecting', reconnected: false },
      { state: 'open', reconnected: true },
    ]);
  });

  it('reopens the stream itself when the browser gives up, waiting longer each time', () => {
    vi.useFakeTimers();
    const client = streamingClient();
    const unsubscribe = client.on('gates/changed', () => {});
    FakeEventSource.opened[0]!.fail(true);
    expect(FakeEventSource.opened[0]!.closed).toBe(true);
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.opened).toHaveLength(2);
    FakeEventSource.opened[1]!.fail(true);
    vi.advanceTimersByTime(1_999);
    expect(FakeEventSource.opened).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.opened).toHaveLength(3);
    unsubscribe();
    expect(FakeEventSource.opened[2]!.closed).toBe(true);
  });

  it('closes the stream when the last listener leaves', () => {
    const client = streamingClient();
    const first = client.on('builds/changed', () => {});
    const second = client.on('gates/changed', () => {});
    first();
    expect(FakeEventSource.opened[0]!.closed).toBe(false);
    second();
    expect(FakeEventSource.opened[0]!.closed).toBe(true);
  });
});

describe('the serve-mode access token', () => {
  function environment(href: string, stored: string | null = null) {
    const storage = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
    const replaced: string[] = [];
    return {
      replaced,
      storage,
      env: {
        location: { href },
        history: {
          state: null,
          replaceState: (_s: unknown, _t: string, url?: string | URL | null) =>
            replaced.push(String(url)),
        },
        storage: {
          getItem: (key: string) => storage.get(key) ?? null,
          setItem: (key: string, value: string) => void storage.set(key, value),
        },
      },
    };
  }

  it('takes ?token= from the URL once, keeps it in sessionStorage and hides it', () => {
    const { env, replaced, storage } = environment(
      'http://127.0.0.1:4000/?token=abc&x=1#/pipelines/1',
    );
    expect(takeAccessToken(env)).toBe('abc');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(replaced).toEqual(['/?x=1#/pipelines/1']);
  });

  it('reads the kept token on later loads', () => {
    const { env, replaced } = environment('http://127.0.0.1:4000/#/', 'abc');
    expect(takeAccessToken(env)).toBe('abc');
    expect(replaced).toEqual([]);
  });

  it('has no token when neither the URL nor the storage has one', () => {
    expect(takeAccessToken(environment('http://127.0.0.1:4000/').env)).toBeNull();
  });
});
