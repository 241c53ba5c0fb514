import type { FakeAnswer, FakeProvider, SeenRequest } from './fake-provider';
import { recording, type RecordedExchange, type RecordedMaster } from './buildbot-recordings';

/**
 * A fake Buildbot REST API on a fake provider, answering from a recorded master: the same
 * envelopes and filters (`bsid=`, `parent_buildid=`, `buildsetid__in=`, `buildrequestid__in=`,
 * `order`/`limit`) the real one answered while recording, for whichever check-ins a test asks.
 */

function envelope(plural: string, items: readonly unknown[]): FakeAnswer {
  return { body: { [plural]: items, meta: { total: items.length } } };
}

function ids(request: SeenRequest, key: string): number[] {
  return request.query.getAll(key).map(Number);
}

/** A recorded answer as the fake sends it (the user's session cookie, the login redirect). */
export function recordedAnswer(exchange: RecordedExchange): FakeAnswer {
  const headers: Record<string, string> = {
    'Content-Type': exchange.headers['content-type'] ?? 'application/json',
  };
  const cookie = exchange.headers['set-cookie']?.at(-1);
  if (cookie) headers['Set-Cookie'] = cookie;
  if (exchange.headers.location) headers.Location = exchange.headers.location;
  const body = typeof exchange.body === 'string' ? exchange.body : JSON.stringify(exchange.body);
  return { status: exchange.status, headers, body };
}

function recorded(file: string, url: RegExp): RecordedExchange {
  const found = recording(file).findLast((exchange) => url.test(exchange.url));
  if (!found) throw new Error(`${file} has no ${url}`);
  return found;
}

/** Serves `master` on `server` (again after a test changed or replaced it). */
export function serveBuildbot(server: FakeProvider, master: RecordedMaster): void {
  const login = recorded('poll-gate-waiting.json', /^\/auth\/login/);
  const schedulers = recorded('poll-gate-waiting.json', /forceschedulers$/);
  const forced = recorded('approve.json', /^\/api\/v2\/forceschedulers\//);
  const production = master.builders.find((builder) => builder.name === 'production');

  server.route('GET /auth/login', () => recordedAnswer(login));
  server.route('GET /api/v2/builders', () => envelope('builders', master.builders));
  for (const builder of master.builders) {
    server.route(`GET /api/v2/builders/${builder.builderid}/buildrequests`, (request) =>
      envelope(
        'buildrequests',
        master.requests
          .filter((item) => item.builderid === builder.builderid)
          .sort((left, right) => right.buildrequestid - left.buildrequestid)
          .slice(0, Number(request.query.get('limit') ?? 1000)),
      ),
    );
    server.route(`GET /api/v2/builders/${builder.builderid}/forceschedulers`, () =>
      builder === production ? recordedAnswer(schedulers) : envelope('forceschedulers', []),
    );
  }
  server.route('GET /api/v2/buildsets', (request) => {
    const byId = ids(request, 'bsid');
    const byParent = ids(request, 'parent_buildid');
    return envelope(
      'buildsets',
      master.buildsets.filter(
        (set) =>
          byId.includes(set.bsid) ||
          (set.parent_buildid !== null &&
            set.parent_buildid !== undefined &&
            byParent.includes(set.parent_buildid)),
      ),
    );
  });
  server.route('GET /api/v2/buildrequests', (request) =>
    envelope(
      'buildrequests',
      master.requests.filter((item) => ids(request, 'buildsetid__in').includes(item.buildsetid)),
    ),
  );
  for (const item of master.requests) {
    server.route(`GET /api/v2/buildrequests/${item.buildrequestid}`, () =>
      envelope('buildrequests', [item]),
    );
  }
  server.route('GET /api/v2/builds', (request) =>
    envelope(
      'builds',
      master.builds.filter((build) =>
        ids(request, 'buildrequestid__in').includes(build.buildrequestid),
      ),
    ),
  );
  for (const build of master.builds) {
    server.route(`GET /api/v2/builds/${build.buildid}`, () => envelope('builds', [build]));
    server.route(`GET /api/v2/builds/${build.buildid}/steps`, () =>
      envelope('steps', master.steps.get(build.buildid) ?? []),
    );
    server.route(`GET /api/v2/builds/${build.buildid}/changes`, () => envelope('changes', []));
  }
  server.route('POST /api/v2/forceschedulers/deploy-production', () => recordedAnswer(forced));
  // Control: `rebuild` answers like a force (a new buildset and its request), `stop` and `cancel`
  // answer nothing.
  const rpc = (request: SeenRequest, result: unknown): FakeAnswer => ({
    body: { id: (JSON.parse(request.body) as { id: unknown }).id, jsonrpc: '2.0', result },
  });
  for (const build of master.builds) {
    const copy = 100 + build.buildid;
    server.route(`POST /api/v2/builds/${build.buildid}`, (request) =>
      rpc(
        request,
        (JSON.parse(request.body) as { method: string }).method === 'rebuild'
          ? [copy, { [build.builderid]: copy }]
          : null,
      ),
    );
  }
  for (const item of master.requests) {
    server.route(`POST /api/v2/buildrequests/${item.buildrequestid}`, (request) =>
      rpc(request, null),
    );
  }
}
