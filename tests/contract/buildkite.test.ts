import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildkiteSourceKind } from '../../src/main/sources/buildkite/buildkite-kind';
import {
  createBuildkiteSource,
  type BuildkiteSource,
} from '../../src/main/sources/buildkite/buildkite-source';
import { buildkiteOptionsSchema } from '../../src/main/sources/buildkite/buildkite-options';
import { finishedBuildKey, SourceError, type PollSnapshot } from '../../src/main/sources/source';
import { startFakeProvider, type FakeAnswer, type FakeProvider } from '../support/fake-provider';
import { fixtureJson } from '../support/provider-fixtures';

type Json = Record<string, unknown>;

const TOKEN = 'bkua_contract_token_0123456789';
const NOW = Date.UTC(2026, 0, 1, 10, 0, 0);
const PIPELINE = '/v2/organizations/my-great-org/pipelines/my-pipeline';
const BUILDS = `${PIPELINE}/builds`;

const build = (changes: Json = {}): Json => ({
  ...fixtureJson<Json>('buildkite', 'build.json'),
  ...changes,
});
const scriptJob = (): Json => (build().jobs as Json[])[0] as Json;
const BLOCK_ID = 'ded35de2-7de0-4da8-8daa-b4ce0b7f1064';
/** build.json held at a block step: the unblock response's job put back in state "blocked". */
const blockedBuild = (): Json =>
  build({
    number: 3,
    blocked: true,
    jobs: [
      scriptJob(),
      { id: 'w1', type: 'waiter' },
      {
        ...fixtureJson<Json>('buildkite', 'job-unblock-response.json'),
        state: 'blocked',
        unblocked_by: null,
        unblocked_at: null,
        unblockable: true,
      },
    ],
  });

let server: FakeProvider;

beforeEach(async () => {
  server = await startFakeProvider();
});
afterEach(async () => {
  await server.close();
});

function source(options: Json = {}, now: () => number = () => NOW): BuildkiteSource {
  return createBuildkiteSource({
    baseUrl: `${server.url}/v2`,
    options: buildkiteOptionsSchema.parse({
      organization: 'my-great-org',
      pipelines: ['my-pipeline'],
      ...options,
    }),
    token: () => TOKEN,
    now,
  });
}

function poll(adapter: BuildkiteSource, known: ReadonlySet<string> = new Set()) {
  return adapter.poll({ signal: new AbortController().signal, knownFinishedBuilds: known });
}

function keys(snapshot: PollSnapshot): Set<string> {
  return new Set(
    snapshot.builds.map((entry) => finishedBuildKey(entry.pipelineExternalId, entry.externalId)),
  );
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);
  expect((error as SourceError).message).not.toContain(TOKEN);
  return error as SourceError;
}

describe('Buildkite polled through the CiSource interface', () => {
  it('sends the Bearer token and maps the builds of each pipeline', async () => {
    server.route(`GET ${BUILDS}`, () => ({ body: [build()] }));
    const snapshot = await poll(source());
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.requests[0]?.query.get('per_page')).toBe('20');
    expect(snapshot.pipelines).toEqual([
      {
        externalId: 'my-pipeline',
        name: 'Great Pipeline',
        webUrl: 'https://buildkite.com/my-great-org/my-pipeline',
      },
    ]);
    expect(snapshot.builds.map((entry) => [entry.number, entry.status])).toEqual([[2, 'success']]);
  });

  it('asks with If-None-Match, and a 304 costs no body and reports no known build', async () => {
    server.route(`GET ${BUILDS}`, (request): FakeAnswer =>
      request.headers['if-none-match'] === 'W/"b1"'
        ? { status: 304, headers: { ETag: 'W/"b1"' } }
        : { body: [build()], headers: { ETag: 'W/"b1"' } },
    );
    const adapter = source();
    const first = await poll(adapter);
    const second = await poll(adapter, keys(first));
    expect(server.requests[1]?.headers['if-none-match']).toBe('W/"b1"');
    expect(second.builds).toEqual([]);
  });

  it('backfills older pages on a first look, then reads only the newest page', async () => {
    server.route(`GET ${BUILDS}`, (request): FakeAnswer =>
      request.query.get('page') === '2'
        ? { body: [build({ number: 1 })] }
        : {
            body: [build({ number: 3 }), build({ number: 2 })],
            headers: { Link: `<${server.url}${BUILDS}?page=2&per_page=2>; rel="next"` },
          },
    );
    const adapter = source({ buildsPerPage: 2 });
    const first = await poll(adapter);
    expect(first.builds.map((entry) => entry.number)).toEqual([3, 2, 1]);
    expect(server.requests).toHaveLength(2);
    const second = await poll(adapter, keys(first));
    expect(server.requests).toHaveLength(3);
    expect(second.builds).toEqual([]);
  });

  it('reports a blocked build as waiting with its gate', async () => {
    server.route(`GET ${BUILDS}`, () => ({ body: [blockedBuild()] }));
    const snapshot = await poll(source());
    expect(snapshot.builds[0]?.status).toBe('waiting');
    expect(snapshot.builds[0]?.gates.map((gate) => [gate.name, gate.state])).toEqual([
      ['Deploy', 'waiting'],
    ]);
  });
});

describe("keeping to a share of the organization's budget", () => {
  it('says how often it may poll: 3 pipelines at 10 % of 200 a minute → every 9 s', () => {
    const adapter = source({ pipelines: ['a', 'b', 'c'] });
    expect(adapter.minimumIntervalSeconds()).toBe(9);
    const kindMade = buildkiteSourceKind.create({
      config: {
        id: 'bk',
        kind: 'buildkite',
        name: 'Buildkite',
        enabled: true,
        options: buildkiteOptionsSchema.parse({ organization: 'o', pipelines: ['a'] }),
      },
      stateDirectory: '/nonexistent',
      token: () => TOKEN,
    }) as BuildkiteSource;
    expect(kindMade.minimumIntervalSeconds()).toBe(3);
  });

  it('steps aside when the organization has no more than its share left', async () => {
    server.route(`GET ${BUILDS}`, () => ({
      body: [build()],
      headers: { 'RateLimit-Remaining': '12', 'RateLimit-Limit': '200', 'RateLimit-Reset': '30' },
    }));
    const adapter = source();
    await poll(adapter);
    expect(adapter.rateLimit()).toEqual({
      remaining: 12,
      limit: 200,
      resetAt: new Date(NOW + 30_000).toISOString(),
    });
    const error = await failure(poll(adapter));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBe(NOW + 30_000);
    expect(error.message).toContain('12 of 200 requests left');
    expect(server.requests).toHaveLength(1);
  });

  it('never sends more than its own share a minute, keeping what it already read', async () => {
    server.route(`GET ${BUILDS}`, () => ({ body: [build()] }));
    const adapter = source({
      orgRequestsPerMinute: 10,
      shareOfOrgBudget: 0.1,
      pipelines: ['my-pipeline', 'other'],
    });
    const partial = await poll(adapter);
    expect(partial.pipelines.map((pipeline) => pipeline.externalId)).toEqual(['my-pipeline']);
    const error = await failure(poll(adapter));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBe(NOW + 60_000);
    expect(error.message).toContain('1 Buildkite requests a minute');
  });

  it('reads a 429 RateLimit-Reset as seconds from now', async () => {
    server.route(`GET ${BUILDS}`, () => ({
      status: 429,
      headers: { 'RateLimit-Remaining': '0', 'RateLimit-Limit': '200', 'RateLimit-Reset': '42' },
      body: { message: 'You have exceeded your rate limit', scope: 'rest', reset: 42 },
    }));
    const error = await failure(poll(source()));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBe(NOW + 42_000);
  });
});

describe('Buildkite errors as health', () => {
  it.each([
    [401, { message: 'Authentication required' }, 'auth'],
    [500, 'Internal Server Error', 'server'],
    [200, '<!DOCTYPE html><html><body>Sign in</body></html>', 'bad-response'],
    [200, { not: 'a list' }, 'bad-response'],
  ] as const)('%i %j is %s', async (status, body, kind) => {
    server.route(`GET ${BUILDS}`, () => ({ status, body }));
    expect((await failure(poll(source()))).kind).toBe(kind);
  });
});

describe('Buildkite job logs', () => {
  const LOG = `${BUILDS}/2/jobs/b63254c0-3271-4a98-8270-7cfbd6c2f14e/log.txt`;
  const ref = {
    pipelineExternalId: 'my-pipeline',
    buildExternalId: '2',
    stageExternalId: 'b63254c0-3271-4a98-8270-7cfbd6c2f14e',
    stepExternalId: null,
  };

  it('reads the tail with a suffix range, without timestamp markers', async () => {
    server.route(`GET ${LOG}`, () => ({
      status: 206,
      body: "\u001b_bk;t=1563337899810\u0007This is the job's log output",
      headers: { 'Content-Range': 'bytes 0-27/28' },
    }));
    const log = await source().fetchLog(ref);
    expect(server.requests[0]?.headers.range).toMatch(/^bytes=-\d+$/);
    expect(log.text).toBe("This is the job's log output");
  });

  it('follows a redirect to another origin without the Authorization header', async () => {
    const storage = await startFakeProvider({
      'GET /signed/log.txt': () => ({ body: 'from storage' }),
    });
    try {
      server.route(`GET ${LOG}`, () => ({
        status: 302,
        headers: { Location: `${storage.url}/signed/log.txt?sig=abc` },
      }));
      const log = await source().fetchLog(ref);
      expect(log.text).toBe('from storage');
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(storage.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await storage.close();
    }
  });

  it('answers an empty log (416) with empty text', async () => {
    server.route(`GET ${LOG}`, () => ({ status: 416, body: '' }));
    expect((await source().fetchLog(ref)).text).toBe('');
  });
});

describe('Buildkite block steps as gates', () => {
  const gate = {
    pipelineExternalId: 'my-pipeline',
    buildExternalId: '3',
    gateExternalId: BLOCK_ID,
  };
  const UNBLOCK = `${BUILDS}/3/jobs/${BLOCK_ID}/unblock`;

  it('re-reads the gate, unblocks it with the field values, and names who did', async () => {
    server.route(`GET ${BUILDS}/3`, () => ({ body: blockedBuild() }));
    server.route(`PUT ${UNBLOCK}`, () => ({
      body: fixtureJson('buildkite', 'job-unblock-response.json'),
    }));
    const adapter = source();
    expect(await adapter.readGate(gate)).toEqual({
      state: 'waiting',
      canDecide: true,
      decidedBy: null,
    });
    const fields = fixtureJson<{ fields: Record<string, string> }>(
      'buildkite',
      'job-unblock-request.json',
    ).fields;
    const answer = await adapter.decideGate(gate, 'approve', 'ship it', fields);
    const put = server.requests.find((request) => request.method === 'PUT');
    expect(JSON.parse(put?.body ?? '{}')).toEqual({ fields });
    expect(put?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(answer).toEqual({ actor: 'Liam Neeson', message: 'Unblocked "Deploy" of build #3.' });
  });

  it('rejects by cancelling the build, since Buildkite has no reject', async () => {
    server.route(`PUT ${BUILDS}/3/cancel`, () => ({
      body: build({ number: 3, state: 'canceled' }),
    }));
    server.route('GET /v2/user', () => ({
      body: { name: 'Keith Pitt', email: 'keith@buildkite.com' },
    }));
    const answer = await source().decideGate(gate, 'reject', 'not this one', {});
    expect(answer.actor).toBe('Keith Pitt');
    expect(answer.message).toContain('cancelled build #3');
  });

  it('puts a refusal into words', async () => {
    server.route(`PUT ${UNBLOCK}`, () => ({ status: 403, body: { message: 'Forbidden' } }));
    const error = await failure(source().decideGate(gate, 'approve', '', {}));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain('write_builds');
  });
});

describe('Buildkite actions', () => {
  it('retries a job, rebuilds, cancels, and retries only the failed jobs', async () => {
    const retried = fixtureJson('buildkite', 'job-retry-response.json');
    server.route(`PUT ${BUILDS}/2/jobs/failed-job/retry`, () => ({ body: retried }));
    server.route(`PUT ${BUILDS}/2/rebuild`, () => ({ body: build({ number: 4 }) }));
    server.route(`PUT ${BUILDS}/2/cancel`, () => ({ body: build({ state: 'canceled' }) }));
    server.route(`GET ${BUILDS}/2`, () => ({
      body: build({
        state: 'failed',
        jobs: [scriptJob(), { ...scriptJob(), id: 'failed-job', name: 'Lint', state: 'failed' }],
      }),
    }));
    const adapter = source();
    const ref = { pipelineExternalId: 'my-pipeline', buildExternalId: '2' };
    expect(adapter.capabilities).toEqual([
      'rerun-build',
      'rerun-failed',
      'cancel-build',
      'retry-stage',
    ]);
    expect(
      (await adapter.retryStage?.({ ...ref, stageExternalId: 'failed-job' }))?.message,
    ).toContain(':package:');
    expect((await adapter.rerunBuild?.(ref, 'all'))?.message).toBe('Rebuilt build #2 as build #4.');
    expect((await adapter.cancelBuild?.(ref))?.message).toBe('Cancelled build #2.');
    expect((await adapter.rerunBuild?.(ref, 'failed'))?.message).toBe(
      'Retried 1 failed job(s) of build #2: Lint.',
    );
  });
});
