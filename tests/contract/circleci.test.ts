import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { circleciSourceKind } from '../../src/main/sources/circleci/circleci-kind';
import { circleciOptionsSchema } from '../../src/main/sources/circleci/circleci-options';
import {
  finishedBuildKey,
  SourceError,
  type CiSource,
  type PollSnapshot,
} from '../../src/main/sources/source';
import { startFakeProvider, type FakeAnswer, type FakeProvider } from '../support/fake-provider';
import {
  jobItem,
  page,
  pipelineItem,
  uuid,
  workflowItem,
  type Json,
} from '../unit/circleci-payloads';

// CircleCI publishes no example payloads for API v2: the fake server answers SYNTHETIC payloads
// built from the OpenAPI schemas' field names (tests/unit/circleci-payloads.ts).

const TOKEN = 'circle-contract-token-987654321';
const NOW = Date.UTC(2026, 0, 1, 10, 0, 0);
const SLUG = 'gh/acme/catalog';
const PIPELINE_ID = uuid('pipeline-25');
const WORKFLOW_ID = uuid('workflow');
const HOLD_ID = uuid('hold');

const PIPELINES = `/api/v2/project/${SLUG}/pipeline`;
const WORKFLOWS = `/api/v2/pipeline/${PIPELINE_ID}/workflow`;
const JOBS = `/api/v2/workflow/${WORKFLOW_ID}/job`;

function job(name: string, type: string, status: string, dependencies: string[]): Json {
  return jobItem({
    id: uuid(name),
    name,
    type,
    status,
    dependencies: dependencies.map(uuid),
    project_slug: SLUG,
    ...(type === 'approval' ? { approval_request_id: uuid(name) } : {}),
  });
}

let workflowStatus = 'on_hold';
let server: FakeProvider;

beforeEach(async () => {
  workflowStatus = 'on_hold';
  server = await startFakeProvider({
    [`GET ${PIPELINES}`]: () => ({
      body: page([
        pipelineItem({ id: PIPELINE_ID, project_slug: SLUG, updated_at: '2026-01-01T09:00:00Z' }),
      ]),
    }),
    [`GET ${WORKFLOWS}`]: () => ({
      body: page([
        workflowItem({
          id: WORKFLOW_ID,
          pipeline_id: PIPELINE_ID,
          project_slug: SLUG,
          status: workflowStatus,
        }),
      ]),
    }),
    // Two pages, to follow next_page_token.
    [`GET ${JOBS}`]: (request) =>
      request.query.get('page-token') === 'second'
        ? { body: page([job('deploy', 'build', 'blocked', ['hold'])]) }
        : {
            body: page(
              [
                job('build', 'build', 'success', []),
                job('hold', 'approval', workflowStatus === 'on_hold' ? 'on_hold' : 'success', [
                  'build',
                ]),
              ],
              'second',
            ),
          },
  });
});
afterEach(async () => {
  await server.close();
});

function source(options: Json = {}): CiSource {
  return circleciSourceKind.create({
    config: {
      id: 'circleci',
      kind: 'circleci',
      name: 'CircleCI',
      baseUrl: `${server.url}/api/v2`,
      token: { env: 'CIRCLE_TOKEN' },
      enabled: true,
      options: circleciOptionsSchema.parse({ projects: [SLUG], ...options }),
    },
    stateDirectory: '/nonexistent',
    token: () => TOKEN,
    now: () => NOW,
  });
}

function poll(adapter: CiSource, known: ReadonlySet<string> = new Set()): Promise<PollSnapshot> {
  return adapter.poll({ signal: new AbortController().signal, knownFinishedBuilds: known });
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

const paths = (): string[] => server.requests.map((request) => request.path);

describe('CircleCI polled through the CiSource interface', () => {
  it('sends Circle-Token, follows pages, and builds the workflow run with its approval gate', async () => {
    const snapshot = await poll(source());
    expect(server.requests.every((request) => request.headers['circle-token'] === TOKEN)).toBe(
      true,
    );
    expect(
      server.requests.find((request) => request.query.get('page-token') === 'second'),
    ).toBeDefined();
    expect(snapshot.pipelines).toEqual([
      {
        externalId: `${SLUG}/build-and-test`,
        name: 'acme/catalog · build-and-test',
        webUrl: null,
      },
    ]);
    const [build] = snapshot.builds;
    expect(build?.number).toBe(25);
    expect(build?.status).toBe('waiting');
    expect(build?.stages.map((stage) => [stage.name, stage.status])).toEqual([
      ['build', 'success'],
      ['hold', 'waiting'],
      ['deploy', 'queued'],
    ]);
    expect(build?.gates.map((gate) => [gate.externalId, gate.state])).toEqual([
      [HOLD_ID, 'waiting'],
    ]);
  });

  it('does not fetch jobs of finished workflows the store already holds, nor their pipeline again', async () => {
    workflowStatus = 'success';
    const adapter = source();
    const first = await poll(adapter);
    const known = new Set(
      first.builds.map((b) => finishedBuildKey(b.pipelineExternalId, b.externalId)),
    );
    const before = server.requests.length;
    const second = await poll(adapter, known);
    expect(second.builds).toEqual([]);
    expect(second.pipelines).toHaveLength(1);
    expect(paths().slice(before)).toEqual([PIPELINES]);
  });

  it('asks with If-None-Match where CircleCI sends an ETag', async () => {
    server.route(`GET ${PIPELINES}`, (request): FakeAnswer =>
      request.headers['if-none-match'] === '"p1"'
        ? { status: 304, headers: { ETag: '"p1"' } }
        : {
            body: page([pipelineItem({ id: PIPELINE_ID, project_slug: SLUG })]),
            headers: { ETag: '"p1"' },
          },
    );
    const adapter = source();
    await poll(adapter);
    await poll(adapter);
    const lists = server.requests.filter((request) => request.path === PIPELINES);
    expect(lists[1]?.headers['if-none-match']).toBe('"p1"');
  });
});

describe('CircleCI errors as health', () => {
  it.each([
    [401, { message: 'You must log in first.' }, 'auth'],
    [500, 'boom', 'server'],
    [200, '<html><body>maintenance</body></html>', 'bad-response'],
    [200, { items: 'nope' }, 'bad-response'],
  ] as const)('%i %j is %s', async (status, body, kind) => {
    server.route(`GET ${PIPELINES}`, () => ({ status, body }));
    expect((await failure(poll(source()))).kind).toBe(kind);
  });

  it('429 with Retry-After is a rate limit with a time to come back', async () => {
    server.route(`GET ${PIPELINES}`, () => ({ status: 429, headers: { 'Retry-After': '30' } }));
    const error = await failure(poll(source()));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBe(NOW + 30_000);
  });

  it('says that API v2 has no logs', async () => {
    const log = {
      pipelineExternalId: `${SLUG}/build-and-test`,
      buildExternalId: WORKFLOW_ID,
      stageExternalId: uuid('build'),
      stepExternalId: null,
    };
    await expect(source().fetchLog(log)).rejects.toThrow(
      "API v2 has no endpoint for a job's output",
    );
  });
});

describe('CircleCI approval jobs as gates', () => {
  const gate = {
    pipelineExternalId: `${SLUG}/build-and-test`,
    buildExternalId: WORKFLOW_ID,
    gateExternalId: HOLD_ID,
  };

  it('re-reads the gate, approves it, and names the token’s user', async () => {
    server.route(`POST /api/v2/workflow/${WORKFLOW_ID}/approve/${HOLD_ID}`, () => ({
      status: 202,
      body: { message: 'Accepted.' },
    }));
    server.route('GET /api/v2/me', () => ({
      body: { id: uuid('me'), login: 'alice', name: 'Alice' },
    }));
    const adapter = source();
    expect(await adapter.readGate(gate)).toEqual({
      state: 'waiting',
      canDecide: null,
      decidedBy: null,
    });
    const answer = await adapter.decideGate(gate, 'approve', 'ship it', {});
    expect(answer).toEqual({ actor: 'Alice', message: 'Approved: CircleCI answered "Accepted.".' });
    const post = server.requests.find((request) => request.method === 'POST');
    expect(post?.headers['circle-token']).toBe(TOKEN);
  });

  it('rejects by cancelling the workflow, since CircleCI has no reject', async () => {
    server.route(`POST /api/v2/workflow/${WORKFLOW_ID}/cancel`, () => ({
      status: 202,
      body: { message: 'Accepted.' },
    }));
    const answer = await source().decideGate(gate, 'reject', 'not this one', {});
    expect(answer.message).toContain('cancelled the workflow');
    expect(answer.actor).toBe('the owner of the CircleCI token');
  });

  it('puts a refusal into words', async () => {
    server.route(`POST /api/v2/workflow/${WORKFLOW_ID}/approve/${HOLD_ID}`, () => ({
      status: 403,
      body: { message: 'Forbidden' },
    }));
    const error = await failure(source().decideGate(gate, 'approve', '', {}));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain('write access');
  });
});

describe('CircleCI actions', () => {
  it('re-runs from failed, re-runs one job, and cancels', async () => {
    server.route(`POST /api/v2/workflow/${WORKFLOW_ID}/rerun`, () => ({
      status: 202,
      body: { workflow_id: uuid('rerun') },
    }));
    server.route(`POST /api/v2/workflow/${WORKFLOW_ID}/cancel`, () => ({
      status: 202,
      body: { message: 'Accepted.' },
    }));
    const adapter = source();
    const ref = { pipelineExternalId: `${SLUG}/build-and-test`, buildExternalId: WORKFLOW_ID };
    expect((await adapter.rerunBuild?.(ref, 'failed'))?.message).toContain('from its failed jobs');
    await adapter.retryStage?.({ ...ref, stageExternalId: uuid('build') });
    expect((await adapter.cancelBuild?.(ref))?.message).toBe('Cancelled the workflow.');
    const bodies = server.requests
      .filter((request) => request.path.endsWith('/rerun'))
      .map((request) => JSON.parse(request.body));
    expect(bodies).toEqual([{ from_failed: true }, { jobs: [uuid('build')] }]);
  });
});
