import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderHttp } from '../../src/main/sources/http/provider-http';
import { redact } from '../../src/main/sources/http/redact';
import { parseRetryAfter, serverClockSkew } from '../../src/main/sources/http/retry-after';
import { SourceError } from '../../src/main/sources/source';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider';

const TOKEN = 'ghp_secretsecretsecret';
let server: FakeProvider;
let other: FakeProvider;
let http: ProviderHttp;

beforeEach(async () => {
  server = await startFakeProvider();
  other = await startFakeProvider();
  http = new ProviderHttp({
    providerName: 'TestCI',
    baseUrl: `${server.url}/api`,
    authHeaders: () => ({ Authorization: `Bearer ${TOKEN}` }),
    secrets: () => [TOKEN],
    timeoutMs: 2000,
  });
});

afterEach(async () => {
  await server.close();
  await other.close();
});

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);
  expect((error as Error).message).not.toContain(TOKEN);
  return error as SourceError;
}

describe('the provider HTTP layer', () => {
  it('sends the credentials and reads JSON', async () => {
    server.route('GET /api/runs', () => ({ body: { total: 2 } }));
    const answer = await http.getJson('/runs', { query: { per_page: 5 } });
    expect(answer.body).toEqual({ total: 2 });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.requests[0]?.query.get('per_page')).toBe('5');
  });

  it('asks with If-None-Match and serves the cached body on 304', async () => {
    server.route('GET /api/runs', (request) =>
      request.headers['if-none-match'] === '"v1"'
        ? { status: 304 }
        : { body: { runs: [1, 2] }, headers: { ETag: '"v1"' } },
    );
    const first = await http.getJson('/runs', { conditional: true });
    const second = await http.getJson('/runs', { conditional: true });
    expect(first.notModified).toBe(false);
    expect(second).toMatchObject({ notModified: true, body: { runs: [1, 2] } });
    expect(http.stats).toMatchObject({ requests: 2, notModified: 1 });
  });

  it('follows a redirect to another origin without the credentials', async () => {
    other.route('GET /signed/log.txt', () => ({ body: 'line 1\nline 2\n' }));
    server.route('GET /api/jobs/1/logs', () => ({
      status: 302,
      headers: { Location: `${other.url}/signed/log.txt?sig=abc` },
    }));
    const { text } = await http.getText('/jobs/1/logs');
    expect(text).toBe('line 1\nline 2\n');
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('turns 401 into an auth error', async () => {
    server.route('GET /api/runs', () => ({ status: 401, body: { message: 'Bad credentials' } }));
    const error = await failure(http.getJson('/runs'));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('Bad credentials');
  });

  it('turns 429 with Retry-After into a rate limit with a time to come back', async () => {
    server.route('GET /api/runs', () => ({ status: 429, headers: { 'Retry-After': '120' } }));
    const before = Date.now();
    const error = await failure(http.getJson('/runs'));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBeGreaterThanOrEqual(before + 119_000);
  });

  it('reads a Retry-After date in the server\'s clock: a server a day ahead or behind still means "in a minute"', async () => {
    const day = 86_400_000;
    for (const offset of [day, -day]) {
      const serverNow = Date.now() + offset;
      server.route('GET /api/runs', () => ({
        status: 429,
        headers: {
          Date: new Date(serverNow).toUTCString(),
          'Retry-After': new Date(serverNow + 60_000).toUTCString(),
        },
      }));
      const before = Date.now();
      const error = await failure(http.getJson('/runs'));
      expect(error.kind).toBe('rate-limited');
      expect(error.retryAt).toBeGreaterThanOrEqual(before + 57_000);
      expect(error.retryAt).toBeLessThanOrEqual(Date.now() + 62_000);
    }
  });

  it("reads a provider's rate-limit reset time in the server's clock too", async () => {
    const serverNow = Date.now() - 3 * 3_600_000;
    const skewed = new ProviderHttp({
      providerName: 'TestCI',
      baseUrl: `${server.url}/api`,
      rateLimitReset: (response) => Number(response.headers.get('x-ratelimit-reset')) * 1000,
    });
    server.route('GET /api/runs', () => ({
      status: 403,
      headers: {
        Date: new Date(serverNow).toUTCString(),
        'x-ratelimit-reset': String(Math.floor(serverNow / 1000) + 300),
      },
    }));
    const before = Date.now();
    const error = await failure(skewed.getJson('/runs'));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBeGreaterThanOrEqual(before + 297_000);
    expect(error.retryAt).toBeLessThanOrEqual(Date.now() + 302_000);
  });

  it('turns 500 into a server error and an HTML page into words', async () => {
    server.route('GET /api/runs', () => ({
      status: 502,
      headers: { 'Content-Type': 'text/html' },
      body: '<html><body>Bad gateway</body></html>',
    }));
    const error = await failure(http.getJson('/runs'));
    expect(error.kind).toBe('server');
    expect(error.message).toContain('an HTML page');
  });

  it('says so when a 200 answer is not JSON', async () => {
    server.route('GET /api/runs', () => ({
      body: '<html>login</html>',
      headers: { 'Content-Type': 'text/html' },
    }));
    const error = await failure(http.getJson('/runs'));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toMatch(/not JSON.*text\/html/);
  });

  it('reports a server that stalls as unreachable after the time-out', async () => {
    server.route('GET /api/runs', () => ({ delayMs: 5000, body: {} }));
    const error = await failure(http.getJson('/runs'));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/no answer within 2 s/);
  });

  it('gives up on a body that stalls half way, within the same time-out', async () => {
    const stalling = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      response.write('{"runs": [');
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = stalling.address() as AddressInfo;
      const slow = new ProviderHttp({
        providerName: 'TestCI',
        baseUrl: `http://127.0.0.1:${port}`,
        timeoutMs: 1000,
      });
      const started = Date.now();
      const error = await failure(slow.getJson('/runs'));
      expect(error.kind).toBe('unreachable');
      expect(error.message).toMatch(/no answer within 1 s/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it('reads a log far bigger than any API answer, up to its own limit', async () => {
    const logs = new ProviderHttp({
      providerName: 'TestCI',
      baseUrl: `${server.url}/api`,
      maxBodyBytes: 1000,
      maxTextBytes: 5000,
    });
    server.route('GET /api/log', () => ({ body: 'x'.repeat(4000) }));
    expect((await logs.getText('/log')).text).toHaveLength(4000);
    server.route('GET /api/runs', () => ({ body: { padding: 'x'.repeat(4000) } }));
    expect((await failure(logs.getJson('/runs'))).message).toMatch(/more than 1000 bytes/);
    server.route('GET /api/log', () => ({ body: 'x'.repeat(6000) }));
    const tooBig = await failure(logs.getText('/log'));
    expect(tooBig.kind).toBe('bad-response');
    expect(tooBig.message).toMatch(/more than 5000 bytes for \/api\/log/);
  });

  it('reports a reset connection and a closed port as unreachable', async () => {
    server.route('GET /api/runs', () => ({ reset: true }));
    expect((await failure(http.getJson('/runs'))).kind).toBe('unreachable');
    const gone = await startFakeProvider();
    await gone.close();
    const closed = new ProviderHttp({ providerName: 'TestCI', baseUrl: gone.url });
    const error = await failure(closed.getJson('/runs'));
    expect(error.message).toMatch(/connection refused/);
  });

  it('never puts a token in a message, wherever the server echoes it', async () => {
    server.route('GET /api/runs', () => ({
      status: 403,
      body: { message: `token ${TOKEN} lacks scope` },
    }));
    const error = await failure(http.getJson('/runs'));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain('***');
  });
});

describe('helpers', () => {
  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('30', 1000)).toBe(31_000);
    expect(parseRetryAfter('Wed, 21 Oct 2037 07:28:00 GMT', 0)).toBe(
      Date.parse('2037-10-21T07:28:00Z'),
    );
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });

  it('measures the server clock from its Date header, ignoring a second or two', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(serverClockSkew('Tue, 01 Dec 2026 10:00:00 GMT', now)).toBe(86_400_000);
    expect(serverClockSkew('Mon, 30 Nov 2026 09:00:00 GMT', now)).toBe(-3_600_000);
    expect(serverClockSkew('Mon, 30 Nov 2026 10:00:01 GMT', now)).toBe(0);
    expect(serverClockSkew('not a date', now)).toBe(0);
    expect(serverClockSkew(null, now)).toBe(0);
  });

  it('redacts credential parameters and user:password in URLs', () => {
    expect(redact('GET https://ci.example/cc.xml?access_token=abc123&x=1')).toBe(
      'GET https://ci.example/cc.xml?access_token=***&x=1',
    );
    expect(redact('https://bob:hunter22@ci.example/')).toBe('https://***@ci.example/');
  });
});
