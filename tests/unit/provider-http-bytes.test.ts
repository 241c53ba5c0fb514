import { describe, expect, it } from 'vitest';
import { ProviderHttp } from '../../src/main/sources/http/provider-http';

/** A fetch that answers from a list, recording the If-None-Match it was sent. */
function scriptedFetch(answers: Array<() => Response>) {
  const seen: Array<string | null> = [];
  const fetchImpl = (async (_url: URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    seen.push(headers.get('if-none-match'));
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  }) as typeof fetch;
  return { fetchImpl, seen };
}

describe('ProviderHttp.getBytes', () => {
  it('answers the bytes as sent, so a latin-1 document is not decoded as UTF-8', async () => {
    const latin1 = Buffer.from('Caf\u00e9', 'latin1');
    const { fetchImpl } = scriptedFetch([() => new Response(latin1)]);
    const http = new ProviderHttp({
      providerName: 'Feed',
      baseUrl: 'http://127.0.0.1/',
      fetch: fetchImpl,
    });
    const answer = await http.getBytes('http://127.0.0.1/cc.xml');
    expect([...answer.bytes]).toEqual([0x43, 0x61, 0x66, 0xe9]);
    expect(answer.notModified).toBe(false);
  });

  it('with conditional, sends the last ETag and answers the cached bytes on 304', async () => {
    const { fetchImpl, seen } = scriptedFetch([
      () => new Response('<Projects/>', { headers: { ETag: '"abc"' } }),
      () => new Response(null, { status: 304, headers: { ETag: '"abc"' } }),
    ]);
    const http = new ProviderHttp({
      providerName: 'Feed',
      baseUrl: 'http://127.0.0.1/',
      fetch: fetchImpl,
    });
    await http.getBytes('/cc.xml', { conditional: true });
    const second = await http.getBytes('/cc.xml', { conditional: true });
    expect(seen).toEqual([null, '"abc"']);
    expect(second.notModified).toBe(true);
    expect(second.bytes.toString('utf8')).toBe('<Projects/>');
    expect(http.stats).toMatchObject({ requests: 2, notModified: 1 });
  });

  it('leaves getText as it was: UTF-8 with the byte order mark removed', async () => {
    const { fetchImpl } = scriptedFetch([() => new Response('\uFEFFhello')]);
    const http = new ProviderHttp({
      providerName: 'Feed',
      baseUrl: 'http://127.0.0.1/',
      fetch: fetchImpl,
    });
    expect((await http.getText('/log')).text).toBe('hello');
  });
});
