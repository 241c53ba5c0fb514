import { afterEach, describe, expect, it } from 'vitest';
import type { GateRef } from '../../src/main/sources/source';
import { startFakeProvider, type FakeAnswer, type FakeProvider } from '../support/fake-provider';
import { fixtureJson } from '../support/provider-fixtures';
import {
  BASIC,
  INPUT_ID,
  JOB,
  JOB_PATH,
  TOKEN,
  failure,
  fixtureRoutes,
  fixtureRun,
  jenkinsSource,
  pollContext,
} from '../support/jenkins-server';

const servers: FakeProvider[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(routes = fixtureRoutes()): Promise<FakeProvider> {
  const server = await startFakeProvider(routes);
  servers.push(server);
  return server;
}

const GATE: GateRef = { pipelineExternalId: JOB, buildExternalId: '16', gateExternalId: INPUT_ID };
const INPUT_PATH = `${JOB_PATH}/16/input/${INPUT_ID}`;

/** Jenkins' pending input, with `pending` switched off once the fake server took a decision. */
function inputRoutes(fake: { pending: boolean }, input: Record<string, unknown> = {}) {
  return {
    [`GET ${JOB_PATH}/16/wfapi/pendingInputActions`]: () => ({
      body: fake.pending
        ? fixtureJson<Record<string, unknown>[]>('jenkins', 'pending-input-actions.json').map(
            (action) => ({ ...action, ...input }),
          )
        : [],
    }),
    [`GET /jenkins/me/api/json`]: () => ({ body: { id: 'ada', fullName: 'Ada Lovelace' } }),
  };
}

describe('Jenkins inputs as gates', () => {
  it('approves an input without parameters and then reports the gate approved by its decider', async () => {
    const state = { pending: true };
    const fake = await start({ ...fixtureRoutes(), ...inputRoutes(state) });
    fake.route(`POST ${INPUT_PATH}/proceedEmpty`, () => {
      state.pending = false;
      return { status: 200 };
    });
    const source = jenkinsSource(fake);
    await source.poll(pollContext());

    expect(await source.readGate(GATE)).toEqual({
      state: 'waiting',
      canDecide: null,
      decidedBy: null,
    });
    const answer = await source.decideGate(GATE, 'approve', 'ship it', {});

    expect(answer).toEqual({
      actor: 'Ada Lovelace',
      message:
        'Approved "Is the build okay?" on build #16 of Test Workflow: Jenkins goes on with "Proceed".',
    });
    const post = fake.requests.find((request) => request.method === 'POST');
    expect(post).toMatchObject({ path: `${INPUT_PATH}/proceedEmpty`, body: '' });
    expect(post?.headers.authorization).toBe(BASIC);
    // Jenkins moves on: the run list shows build 16 running its Deploy stage.
    fake.route(`GET ${JOB_PATH}/wfapi/runs`, () => {
      const run = fixtureRun(16);
      run.status = 'IN_PROGRESS';
      (run.stages as Record<string, unknown>[])[2]!.status = 'IN_PROGRESS';
      return { body: [run] };
    });
    const later = await source.poll(pollContext());
    expect(later.builds[0]!.gates).toEqual([
      expect.objectContaining({
        externalId: INPUT_ID,
        state: 'approved',
        decidedBy: 'Ada Lovelace',
      }),
    ]);
    expect(await source.readGate(GATE)).toMatchObject({
      state: 'approved',
      decidedBy: 'Ada Lovelace',
    });
  });

  it('submits input parameters as the exact form Jenkins reads', async () => {
    const state = { pending: true };
    const fake = await start(
      inputRoutes(state, {
        proceedText: 'Deploy',
        inputs: [
          {
            type: 'ChoiceParameterDefinition',
            name: 'TARGET',
            definition: { defaultVal: 'staging', choices: ['staging', 'production'] },
          },
          {
            type: 'BooleanParameterDefinition',
            name: 'MIGRATE',
            definition: { defaultVal: false },
          },
        ],
      }),
    );
    fake.route(`POST ${INPUT_PATH}/proceed`, () => {
      state.pending = false;
      return { status: 200 };
    });

    await jenkinsSource(fake).decideGate(GATE, 'approve', '', {
      TARGET: 'production',
      MIGRATE: 'true',
    });

    const post = fake.requests.find((request) => request.method === 'POST');
    expect(post?.path).toBe(`${INPUT_PATH}/proceed`);
    expect(post?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(post?.body).toBe(
      'json=%7B%22parameter%22%3A%5B%7B%22name%22%3A%22TARGET%22%2C%22value%22%3A%22production%22%7D%2C' +
        '%7B%22name%22%3A%22MIGRATE%22%2C%22value%22%3Atrue%7D%5D%7D&proceed=Deploy',
    );
  });

  it('rejects by aborting the input', async () => {
    const state = { pending: true };
    const fake = await start(inputRoutes(state));
    fake.route(`POST ${INPUT_PATH}/abort`, () => {
      state.pending = false;
      return { status: 200 };
    });
    const answer = await jenkinsSource(fake).decideGate(GATE, 'reject', '', {});
    expect(answer.message).toBe(
      'Rejected "Is the build okay?" on build #16 of Test Workflow: Jenkins aborts the build.',
    );
  });

  it('says in words when Jenkins refuses with a 200 page and the input keeps waiting', async () => {
    const fake = await start(inputRoutes({ pending: true }));
    fake.route(`POST ${INPUT_PATH}/proceedEmpty`, () => ({
      headers: { 'Content-Type': 'text/html' },
      body: '<html><body><h1>Error</h1><p>You need to be release-managers to submit this</p></body></html>',
    }));
    const error = await failure(jenkinsSource(fake).decideGate(GATE, 'approve', '', {}));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toBe(
      'Jenkins did not take the decision on "Is the build okay?" on build #16 of Test Workflow: You need to be release-managers to submit this',
    );
  });

  it('turns a 403 on the decision into what the person needs', async () => {
    const fake = await start(inputRoutes({ pending: true }, { submitter: 'ops' }));
    fake.route(`POST ${INPUT_PATH}/proceedEmpty`, () => ({ status: 403, body: TOKEN }));
    const source = jenkinsSource(fake);
    expect(await source.readGate(GATE)).toMatchObject({ state: 'waiting', canDecide: null });
    const error = await failure(source.decideGate(GATE, 'approve', '', {}));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain(
      "you need the job's Build permission or be one of its submitters (ops)",
    );
  });

  it('does not decide an input someone else already decided', async () => {
    const fake = await start(inputRoutes({ pending: false }));
    const error = await failure(jenkinsSource(fake).decideGate(GATE, 'approve', '', {}));
    expect(error.kind).toBe('not-found');
    expect(fake.requests.some((request) => request.method === 'POST')).toBe(false);
  });
  it('reads a gate decided before Pipewatch watched from its input step', async () => {
    const fake = await start({
      ...inputRoutes({ pending: false }),
      [`GET ${JOB_PATH}/16/execution/node/11/wfapi/describe`]: () => ({
        body: { id: '11', name: 'Wait for interactive input', status: 'ABORTED' },
      }),
    });
    const reading = await jenkinsSource(fake).readGate({
      ...GATE,
      gateExternalId: 'input-node-11',
    });
    expect(reading).toEqual({ state: 'rejected', canDecide: false, decidedBy: null });
  });
});

describe('Jenkins CSRF crumbs', () => {
  it('with a password, sends the crumb and the session cookie it belongs to on every POST', async () => {
    const state = { pending: true };
    const fake = await start({
      ...inputRoutes(state),
      'GET /jenkins/crumbIssuer/api/json': () => ({
        headers: { 'Set-Cookie': 'JSESSIONID.4f2a=node0abc123; Path=/; HttpOnly' },
        body: {
          _class: 'hudson.security.csrf.DefaultCrumbIssuer',
          crumb: 'c0ffee',
          crumbRequestField: 'Jenkins-Crumb',
        },
      }),
      [`POST ${INPUT_PATH}/proceedEmpty`]: (request) => {
        if (request.headers['jenkins-crumb'] !== 'c0ffee')
          return { status: 403, body: 'No valid crumb' };
        state.pending = false;
        return { status: 200 };
      },
    });
    await jenkinsSource(fake, { auth: 'password' }).decideGate(GATE, 'approve', '', {});

    const post = fake.requests.find((request) => request.method === 'POST');
    expect(post?.headers).toMatchObject({
      'jenkins-crumb': 'c0ffee',
      cookie: 'JSESSIONID.4f2a=node0abc123',
      authorization: BASIC,
    });
    const crumbAt = fake.requests.findIndex(
      (request) => request.path === '/jenkins/crumbIssuer/api/json',
    );
    expect(crumbAt).toBeGreaterThanOrEqual(0);
    expect(crumbAt).toBeLessThan(fake.requests.indexOf(post!));
  });

  it('with an API token, posts without a crumb', async () => {
    const fake = await start({ [`POST ${JOB_PATH}/16/stop`]: () => ({ status: 200 }) });
    await jenkinsSource(fake).cancelBuild!({ pipelineExternalId: JOB, buildExternalId: '16' });
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST ${JOB_PATH}/16/stop`,
    ]);
  });
});

describe('Jenkins logs', () => {
  const STEP = {
    pipelineExternalId: JOB,
    buildExternalId: '16',
    stageExternalId: '5',
    stepExternalId: '7',
  };
  const STEP_LOG = `${JOB_PATH}/16/execution/node/7/log/logText/progressiveText`;

  it('tails a running step from X-Text-Size and says when it is complete', async () => {
    const fake = await start({
      [`GET ${STEP_LOG}`]: (request): FakeAnswer =>
        request.query.get('start') === '0'
          ? { body: 'mvn test\n', headers: { 'X-Text-Size': '9', 'X-More-Data': 'true' } }
          : { body: 'BUILD SUCCESS\n', headers: { 'X-Text-Size': '23' } },
    });
    const source = jenkinsSource(fake);
    expect(await source.fetchLog(STEP)).toEqual({ text: 'mvn test\n', complete: false });
    expect(await source.fetchLog(STEP)).toEqual({
      text: 'mvn test\nBUILD SUCCESS\n',
      complete: true,
    });
    expect(fake.requests.map((request) => request.query.get('start'))).toEqual(['0', '9']);
  });

  it("falls back to wfapi's node log where the plain-text route is missing", async () => {
    const fake = await start({
      [`GET ${JOB_PATH}/16/execution/node/7/wfapi/log`]: () => ({
        body: fixtureJson('jenkins', 'wfapi-node-log.json'),
      }),
      [`GET ${JOB_PATH}/16/execution/node/7/wfapi/describe`]: () => ({
        body: { id: '7', status: 'SUCCESS' },
      }),
    });
    const log = await jenkinsSource(fake).fetchLog(STEP);
    expect(log.complete).toBe(true);
    expect(log.text).toMatch(/^ > git rev-parse --is-inside-work-tree\n/);
  });

  it('follows a log redirect to another origin without the credentials', async () => {
    const storage = await start({ 'GET /logs/7.txt': () => ({ body: 'from storage\n' }) });
    const fake = await start({
      [`GET ${STEP_LOG}`]: () => ({
        status: 302,
        headers: { Location: `${storage.url}/logs/7.txt` },
      }),
    });
    expect((await jenkinsSource(fake).fetchLog(STEP)).text).toBe('from storage\n');
    expect(fake.requests[0]?.headers.authorization).toBe(BASIC);
    expect(storage.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("reads a stage's log as its steps' logs, and a stageless build's whole console", async () => {
    const node = (id: string, body: string) => ({
      [`GET ${JOB_PATH}/16/execution/node/${id}/log/logText/progressiveText`]: () => ({ body }),
    });
    const fake = await start({
      [`GET ${JOB_PATH}/16/execution/node/5/wfapi/describe`]: () => ({
        body: fixtureJson('jenkins', 'wfapi-node-describe-success.json'),
      }),
      ...node('6', 'Cloning\n'),
      ...node('7', 'mvn package\n'),
      [`GET ${JOB_PATH}/16/logText/progressiveText`]: () => ({ body: 'Started by user ada\n' }),
    });
    const source = jenkinsSource(fake);
    const stage = await source.fetchLog({ ...STEP, stepExternalId: null });
    expect(stage).toEqual({
      text: '▶ Git\nCloning\n\n▶ Shell Script\nmvn package\n',
      complete: true,
    });
    const console = await source.fetchLog({
      ...STEP,
      stageExternalId: 'console',
      stepExternalId: null,
    });
    expect(console).toEqual({ text: 'Started by user ada\n', complete: true });
  });
});

describe('Jenkins build actions', () => {
  const BUILD = { pipelineExternalId: JOB, buildExternalId: '16' };

  it('stops a build without following the redirect Jenkins answers with', async () => {
    const fake = await start({
      [`POST ${JOB_PATH}/16/stop`]: () => ({
        status: 302,
        headers: { Location: `${JOB_PATH}/16/` },
      }),
    });
    const source = jenkinsSource(fake);
    expect(source.capabilities).toEqual(['rerun-build', 'cancel-build']);
    expect(await source.cancelBuild!(BUILD)).toEqual({
      message: 'Asked Jenkins to stop build #16 of Test Workflow.',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('rebuilds a job without parameters and names the queue item', async () => {
    const fake = await start({
      [`GET ${JOB_PATH}/api/json`]: () => ({
        body: { property: [{}, { parameterDefinitions: [] }] },
      }),
      [`POST ${JOB_PATH}/build`]: () => ({
        status: 201,
        headers: { Location: `${fake.url}/jenkins/queue/item/7/` },
      }),
    });
    const answer = await jenkinsSource(fake).rerunBuild!(BUILD, 'all');
    expect(answer.message).toBe('Jenkins queued a new build of Test Workflow (queue item 7).');
    expect(fake.requests[0]?.query.get('tree')).toBe('property[parameterDefinitions[name]]');
  });

  it('will not rebuild a job that takes parameters', async () => {
    const fake = await start({
      [`GET ${JOB_PATH}/api/json`]: () => ({
        body: { property: [{ parameterDefinitions: [{ name: 'TARGET' }] }] },
      }),
    });
    const error = await failure(jenkinsSource(fake).rerunBuild!(BUILD, 'all'));
    expect(error.message).toContain('takes parameters (TARGET)');
    expect(fake.requests.some((request) => request.method === 'POST')).toBe(false);
  });
});
