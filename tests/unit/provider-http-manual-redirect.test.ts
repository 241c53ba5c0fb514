import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderHttp } from '../../src/main/sources/http/provider-http';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider';

let server: FakeProvider;
let http: ProviderHttp;

beforeEach(async () => {
  server = await startFakeProvider({
    'POST /ci/job/x/16/stop': () => ({ status: 302, headers: { Location: '/ci/job/x/16/' } }),
    'POST /ci/job/x/16/': () => ({ body: '<html>the build page</html>' }),
  });
  http = new ProviderHttp({ providerName: 'TestCI', baseUrl: `${server.url}/ci/` });
});

afterEach(async () => {
  await server.close();
});

describe('a request that does not follow redirects', () => {
  it('answers the 302 itself instead of POSTing the form again to an HTML page', async () => {
    const response = await http.request('POST', http.url('job/x/16/stop'), {
      headers: {},
      body: 'a=1',
      followRedirects: false,
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/ci/job/x/16/');
    expect(server.requests.map((request) => request.path)).toEqual(['/ci/job/x/16/stop']);
  });

  it('still follows redirects by default', async () => {
    const response = await http.request('POST', http.url('job/x/16/stop'), { headers: {} });
    expect(response.status).toBe(200);
    expect(server.requests.map((request) => request.path)).toEqual([
      '/ci/job/x/16/stop',
      '/ci/job/x/16/',
    ]);
  });
});
