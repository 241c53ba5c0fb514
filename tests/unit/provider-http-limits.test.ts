import { afterEach, describe, expect, it } from 'vitest';
import { ProviderHttp } from '../../src/main/sources/http/provider-http';
import { SourceError } from '../../src/main/sources/source';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider';

let fake: FakeProvider | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

describe('ProviderHttp for rate limits and long-running pollers', () => {
  it("hands the error body's start to the rate-limit hook (GitHub names secondary limits only there)", async () => {
    fake = await startFakeProvider({
      'GET /limited': () => ({
        status: 403,
        body: { message: 'You have exceeded a secondary rate limit' },
      }),
    });
    const seen: string[] = [];
    const http = new ProviderHttp({
      providerName: 'Test',
      baseUrl: fake.url,
      now: () => 1000,
      rateLimitReset: (_response, now, snippet) => {
        seen.push(snippet);
        return snippet.includes('secondary') ? now + 60_000 : null;
      },
    });
    const error = await http.getJson('/limited').catch((caught: unknown) => caught);
    expect(seen).toEqual(['You have exceeded a secondary rate limit']);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('rate-limited');
    expect((error as SourceError).retryAt).toBe(61_000);
  });

  it('keeps ETags for a bounded number of URLs, dropping the least recently used', async () => {
    fake = await startFakeProvider();
    for (const name of ['a', 'b', 'c']) {
      fake.route(`GET /${name}`, (request) =>
        request.headers['if-none-match'] === `"${name}"`
          ? { status: 304, headers: { etag: `"${name}"` } }
          : { body: { name }, headers: { etag: `"${name}"` } },
      );
    }
    const http = new ProviderHttp({ providerName: 'Test', baseUrl: fake.url, maxCachedBodies: 2 });
    for (const name of ['a', 'b', 'a', 'c']) await http.getJson(`/${name}`, { conditional: true });
    // "b" was the least recently used when "c" came: it alone went.
    const again = await Promise.all(
      ['a', 'b', 'c'].map((name) => http.getJson(`/${name}`, { conditional: true })),
    );
    expect(again.map((answer) => answer.notModified)).toEqual([true, false, true]);
  });
});
