import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildbotOptionsSchema } from '../../src/main/sources/buildbot/buildbot-options';
import { createBuildbotSource } from '../../src/main/sources/buildbot/buildbot-source';
import { buildbotStateFile } from '../../src/main/sources/buildbot/buildbot-state';
import {
  SourceError,
  finishedBuildKey,
  type CiSource,
  type PollSnapshot,
} from '../../src/main/sources/source';
import { recordedAnswer, serveBuildbot } from '../support/buildbot-fake-master';
import {
  RECORDED_AT,
  recordedMaster,
  recording,
  type RecordedExchange,
} from '../support/buildbot-recordings';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider';

/**
 * The Buildbot adapter through its CiSource interface against a fake Buildbot on 127.0.0.1 that
 * answers from what a real Buildbot 3.7 answered (tests/fixtures/buildbot-recorded).
 */

const USER = 'release-manager';
const PASSWORD = 'release-password-5f2c';
const GATE = { pipelineExternalId: 'catalog', buildExternalId: '1', gateExternalId: 'production' };
const OPTIONS = {
  pipelines: [
    {
      name: 'catalog',
      rootBuilder: 'compile',
      gates: [{ builder: 'production', after: 'slow-tests' }],
    },
  ],
};

let server: FakeProvider;
let other: FakeProvider | null = null;
let stateDirectory: string;

beforeEach(async () => {
  server = await startFakeProvider();
  stateDirectory = mkdtempSync(join(tmpdir(), 'pipewatch-buildbot-contract-'));
});

afterEach(async () => {
  await server.close();
  await other?.close();
  other = null;
  rmSync(stateDirectory, { recursive: true, force: true });
});

function source(user: string | null = USER): CiSource {
  return createBuildbotSource({
    options: buildbotOptionsSchema.parse(user ? { ...OPTIONS, user } : OPTIONS),
    baseUrl: `${server.url}/`,
    token: () => (user ? PASSWORD : null),
    stateDirectory,
    // The recorded session cookie expires a week after the recording.
    now: () => RECORDED_AT,
    timeoutMs: 3000,
  });
}

function poll(watched: CiSource, finished: string[] = []): Promise<PollSnapshot> {
  return watched.poll({
    signal: new AbortController().signal,
    knownFinishedBuilds: new Set(finished.map((id) => finishedBuildKey('catalog', id))),
  });
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);
  expect((error as Error).message).not.toContain(PASSWORD);
  return error as SourceError;
}

const stages = (snapshot: PollSnapshot, id: string): string[] =>
  snapshot.builds
    .find((build) => build.externalId === id)
    ?.stages.map((stage) => `${stage.name}:${stage.status}`) ?? [];

describe('a Buildbot source polling a master', () => {
  it('logs in once with Basic credentials and then sends only the session cookie', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    const snapshot = await poll(source());
    expect(snapshot.pipelines).toEqual([
      { externalId: 'catalog', name: 'catalog', webUrl: `${server.url}/#/builders/4` },
    ]);
    expect(stages(snapshot, '1')).toEqual([
      'compile:success',
      'fast-tests:success',
      'slow-tests:success',
      'production:waiting',
    ]);
    expect(stages(snapshot, '2')).toEqual([
      'compile:success',
      'fast-tests:failed',
      'slow-tests:blocked',
      'production:blocked',
    ]);
    const [login, ...api] = server.requests;
    expect(login?.path).toBe('/auth/login');
    expect(login?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
    );
    expect(api.length).toBeGreaterThan(5);
    for (const request of api) {
      expect(request.headers.cookie).toMatch(/^TWISTED_SESSION=eyJ/);
      expect(request.headers.authorization).toBeUndefined();
    }
  });

  it('asks little on the next poll: no login, and nothing of a check-in stored as finished', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    const watched = source();
    await poll(watched);
    const before = server.requests.length;
    const next = await poll(watched, ['2']);
    const asked = server.requests.slice(before).map((request) => request.path);
    expect(next.builds.map((build) => build.externalId)).toEqual(['1']);
    expect(asked).not.toContain('/auth/login');
    expect(asked.filter((path) => /\/(steps|changes|forceschedulers)$/.test(path))).toEqual([]);
    expect(asked.length).toBeLessThanOrEqual(10);
  });

  it('reads anonymously without a user, sending no credentials at all', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    await poll(source(null));
    expect(server.requests.map((request) => request.path)).not.toContain('/auth/login');
    expect(server.requests.every((request) => !request.headers.cookie)).toBe(true);
  });

  it('logs in again once when Buildbot no longer accepts the session', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    const builders = recording('poll-gate-waiting.json')[1] as RecordedExchange;
    let refusals = 1;
    server.route('GET /api/v2/builders', () =>
      refusals-- > 0
        ? { status: 403, body: { error: "you need to have role 'readers'" } }
        : recordedAnswer(builders),
    );
    await poll(source());
    expect(server.requests.filter((request) => request.path === '/auth/login')).toHaveLength(2);
  });

  it('reports a wrong password as an auth error without the password in it', async () => {
    server.route('GET /auth/login', (request) => ({
      status: 401,
      body: `Unauthorized: ${request.headers.authorization ?? ''} ${PASSWORD}`,
    }));
    const error = await failure(poll(source()));
    expect(error.kind).toBe('auth');
  });

  it('honours Retry-After, and tells server errors and garbage apart', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    server.route('GET /api/v2/builders', () => ({
      status: 429,
      headers: { 'Retry-After': '30' },
      body: 'slow down',
    }));
    const limited = await failure(poll(source()));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.retryAt).toBeGreaterThanOrEqual(RECORDED_AT + 29_000);

    server.route('GET /api/v2/builders', () => ({ status: 500, body: 'Traceback (most recent…' }));
    expect((await failure(poll(source()))).kind).toBe('server');

    server.route('GET /api/v2/builders', () => ({
      headers: { 'Content-Type': 'text/html' },
      body: '<!doctype html><html><body>Buildbot</body></html>',
    }));
    const garbage = await failure(poll(source()));
    expect(garbage.kind).toBe('bad-response');
  });

  it('names a builder the options mention that Buildbot does not have', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    const watched = createBuildbotSource({
      options: buildbotOptionsSchema.parse({
        pipelines: [{ name: 'catalog', rootBuilder: 'build' }],
      }),
      baseUrl: `${server.url}/`,
      token: () => null,
      stateDirectory,
    });
    const error = await failure(poll(watched));
    expect(error.kind).toBe('not-found');
    expect(error.message).toContain('no builder "build" (rootBuilder of pipeline "catalog")');
  });

  it('tests the connection with a login and the builder list, naming the user', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    expect(await source().testConnection?.()).toEqual({
      identity: USER,
      pipelines: 1,
      rateLimit: null,
    });
    expect(server.requests.map((request) => request.path)).toEqual([
      '/auth/login',
      '/api/v2/builders',
    ]);
    expect(await source(null).testConnection?.()).toMatchObject({ identity: null });
  });

  it('stops when the poll is cancelled', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    const controller = new AbortController();
    controller.abort();
    const error = await failure(
      source().poll({ signal: controller.signal, knownFinishedBuilds: new Set() }),
    );
    expect(error.kind).toBe('unreachable');
  });
});

describe('the production gate on a Buildbot master', () => {
  it('approving forces production with the candidate revision and a marker, then reads approved', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    const watched = source();
    await poll(watched);
    expect(await watched.readGate(GATE)).toEqual({
      state: 'waiting',
      canDecide: null,
      decidedBy: null,
    });
    const answer = await watched.decideGate(GATE, 'approve', 'ship it', {});
    expect(answer).toEqual({
      actor: USER,
      message: 'Approved: Buildbot forced production for catalog #1 (buildset 6).',
    });
    const force = server.requests.find((request) => request.method === 'POST');
    expect(force?.path).toBe('/api/v2/forceschedulers/deploy-production');
    expect(force?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(force?.body ?? '{}')).toMatchObject({
      jsonrpc: '2.0',
      method: 'force',
      params: {
        builderid: 3,
        reason: '[pipewatch catalog 1] approved catalog #1 for production',
        revision: 'c0ffee1',
        branch: 'main',
      },
    });
    const kept = JSON.parse(readFileSync(buildbotStateFile(stateDirectory), 'utf8')) as {
      decisions: unknown[];
    };
    expect(kept.decisions).toMatchObject([
      { checkIn: 1, gate: 'production', decision: 'approve', buildsetId: 6, actor: USER },
    ]);

    serveBuildbot(server, recordedMaster('poll-gate-waiting.json', 'poll-approved.json'));
    const after = await poll(watched);
    expect(stages(after, '1')).toContain('production:success');
    expect(after.builds.find((build) => build.externalId === '1')?.gates).toMatchObject([
      { state: 'approved', decidedBy: USER, comment: 'ship it' },
    ]);
    expect(await watched.readGate(GATE)).toMatchObject({ state: 'approved', decidedBy: USER });
    await expect(watched.decideGate(GATE, 'approve', '', {})).rejects.toThrow(/already approved/);
  });

  it('says which role an anonymous approval lacks', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    server.route('POST /api/v2/forceschedulers/deploy-production', () =>
      recordedAnswer(recording('approve-anonymous-refused.json').at(-1) as RecordedExchange),
    );
    const error = await failure(source(null).decideGate(GATE, 'approve', '', {}));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toBe(
      "Buildbot refused to force (/forceschedulers/deploy-production): you need to have role 'release-managers'. Pipewatch acts anonymously: set options.user and the token to a user who may force it.",
    );
    expect(existsSync(buildbotStateFile(stateDirectory))).toBe(false);
  });

  it('rejecting asks nothing of Buildbot and is still rejected after a restart', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    const answer = await source().decideGate(GATE, 'reject', 'not this one', {});
    expect(answer.message).toMatch(/^Rejected: production will not be forced for catalog #1/);
    expect(server.requests.some((request) => request.method === 'POST')).toBe(false);
    const restarted = source();
    const snapshot = await poll(restarted);
    expect(snapshot.builds.find((build) => build.externalId === '1')).toMatchObject({
      status: 'cancelled',
      gates: [{ state: 'rejected', decidedBy: USER, comment: 'not this one' }],
    });
    expect(await restarted.readGate(GATE)).toMatchObject({ state: 'rejected' });
  });

  it('refuses a gate that is not open, saying which stage it waits for', async () => {
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    const watched = source();
    await poll(watched);
    const error = await failure(watched.readGate({ ...GATE, buildExternalId: '2' }));
    expect(error.kind).toBe('not-found');
    expect(error.message).toBe(
      'The production gate of catalog #2 is not open: slow-tests is blocked.',
    );
  });
});

describe('logs of a Buildbot step', () => {
  const log = recording('log-failed-step.json');
  const content =
    (log[1]?.body as { logchunks: { content: string }[] }).logchunks[0]?.content ?? '';
  const ref = {
    pipelineExternalId: 'catalog',
    buildExternalId: '2',
    stageExternalId: 'fast-tests',
    stepExternalId: '17',
  };

  it('reads a long log page by page and removes the stream markers', async () => {
    const lines = content.split('\n').slice(0, -1);
    const total = 120_000;
    const logs = log[0]?.body as { logs: Record<string, unknown>[] };
    server.route('GET /api/v2/steps/17/logs', () => ({
      body: { logs: [{ ...logs.logs[0], num_lines: total }], meta: { total: 1 } },
    }));
    server.route('GET /api/v2/logs/9/contents', (request) => {
      const offset = Number(request.query.get('offset'));
      const limit = Number(request.query.get('limit'));
      const page = Array.from(
        { length: Math.min(limit, total - offset) },
        (_, index) => lines[(offset + index) % lines.length],
      );
      return {
        body: {
          logchunks: [{ content: `${page.join('\n')}\n`, firstline: offset, logid: 9 }],
          meta: {},
        },
      };
    });
    const fetched = await source(null).fetchLog(ref);
    const pages = server.requests.filter((request) => request.path === '/api/v2/logs/9/contents');
    expect(pages.map((request) => request.query.get('offset'))).toEqual(['0', '50000', '100000']);
    expect(fetched.complete).toBe(true);
    expect(fetched.text.split('\n')).toHaveLength(total + 1);
    expect(fetched.text).toContain('\nerror: fast-tests failed on purpose\n');
    expect(fetched.text).not.toMatch(/^[oeh](running|error|program finished)/m);
  });

  it('follows a redirect to another origin without the session cookie', async () => {
    other = await startFakeProvider({
      'GET /signed/9': () => ({ body: log[1]?.body }),
    });
    const otherUrl = other.url;
    serveBuildbot(server, recordedMaster('poll-gate-waiting.json'));
    server.route('GET /api/v2/steps/17/logs', () =>
      recordedAnswer(recording('log-failed-step.json')[0] as RecordedExchange),
    );
    server.route('GET /api/v2/logs/9/contents', () => ({
      status: 302,
      headers: { Location: `${otherUrl}/signed/9` },
    }));
    const fetched = await source().fetchLog(ref);
    expect(fetched.text).toContain('error: fast-tests failed on purpose');
    expect(
      server.requests.find((request) => request.path === '/api/v2/steps/17/logs')?.headers.cookie,
    ).toMatch(/^TWISTED_SESSION=/);
    expect(other.requests[0]?.headers.cookie).toBeUndefined();
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('has no log of a whole stage: Buildbot keeps them per step', async () => {
    const error = await failure(source(null).fetchLog({ ...ref, stepExternalId: null }));
    expect(error.message).toBe(
      'Buildbot keeps logs per step: open one of the steps of fast-tests.',
    );
  });
});
