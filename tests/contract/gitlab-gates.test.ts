import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  API,
  TOKEN,
  deployGate,
  deployJobs,
  failure,
  fixtureJson,
  pipelineOf,
  poll,
  startFakeGitlab,
  type FakeGitlab,
} from './gitlab-fake';
import { blockedDeployment, fragmentJson, jobFixture } from '../unit/gitlab-fixtures';

let gitlab: FakeGitlab;
const manualDeployJob = () => deployJobs()[1]!;
const playAnswer = () => ({
  ...fixtureJson<Record<string, unknown>>('gitlab', 'job-play-response.json'),
  id: 8,
  name: 'deploy-production',
});

beforeEach(async () => {
  gitlab = await startFakeGitlab();
  gitlab.server.route(`GET ${API}/jobs/8`, () => ({ body: manualDeployJob() }));
  gitlab.server.route(`POST ${API}/jobs/8/play`, () => ({ body: playAnswer() }));
});
afterEach(async () => {
  await gitlab.server.close();
});

describe('a plain manual job (no deployment approvals)', () => {
  beforeEach(() => {
    gitlab.server.route(`GET ${API}/deployments`, () => ({ body: [] }));
  });

  it('reads as waiting, and approving plays it as the token owner', async () => {
    const source = gitlab.source();
    expect(await source.readGate(deployGate)).toEqual({
      state: 'waiting',
      canDecide: null,
      decidedBy: null,
    });

    const answer = await source.decideGate(deployGate, 'approve', 'ship it', {});

    expect(answer).toEqual({
      actor: 'root',
      message:
        "Played deploy-production: it is now pending. GitLab keeps no comment with a played job; the comment is kept in Pipewatch's audit trail.",
    });
    expect(gitlab.requests('POST', `${API}/jobs/8/play`)).toHaveLength(1);
    expect(gitlab.requests('POST', `${API}/jobs/8/play`)[0]?.headers['private-token']).toBe(TOKEN);
  });

  it('passes input values on as job variables', async () => {
    await gitlab
      .source()
      .decideGate(deployGate, 'approve', '', { TEST_VAR_1: 'test1', TEST_VAR_2: 'test2' });
    const sent = JSON.parse(gitlab.requests('POST', `${API}/jobs/8/play`)[0]?.body ?? '{}');
    expect(sent).toEqual(fixtureJson('gitlab', 'job-play-request.json'));
  });

  it('refuses to reject in words, since GitLab has no reject for a manual job, and plays nothing', async () => {
    const problem = await failure(() => gitlab.source().decideGate(deployGate, 'reject', 'no', {}));
    expect(problem).toMatchObject({
      kind: 'forbidden',
      message:
        'GitLab has no way to reject a manual job: leave deploy-production unplayed, or cancel the pipeline.',
    });
    expect(gitlab.requests('POST', `${API}/jobs/8/play`)).toHaveLength(0);
  });

  it('a job someone already played reads as approved by them, and is not played twice', async () => {
    const played = { ...manualDeployJob(), status: 'running', started_at: '2026-03-01T11:59:00Z' };
    gitlab.server.route(`GET ${API}/jobs/8`, () => ({ body: played }));
    const source = gitlab.source();
    expect(await source.readGate(deployGate)).toEqual({
      state: 'approved',
      canDecide: null,
      decidedBy: 'root',
    });
    const problem = await failure(() => source.decideGate(deployGate, 'approve', '', {}));
    expect(problem.message).toBe(
      'Nothing was done: job deploy-production is no longer waiting (GitLab says it is running).',
    );
    expect(gitlab.requests('POST', `${API}/jobs/8/play`)).toHaveLength(0);
  });

  it('a 403 on play says what is missing, in words', async () => {
    gitlab.server.route(`POST ${API}/jobs/8/play`, () => ({
      status: 403,
      body: { message: '403 Forbidden' },
    }));
    const problem = await failure(() => gitlab.source().decideGate(deployGate, 'approve', '', {}));
    expect(problem.kind).toBe('forbidden');
    expect(problem.message).toMatch(
      /^GitLab did not let you play deploy-production: playing a manual job needs at least the Developer role\./,
    );
  });
});

describe('a deployment to production waiting for approvals', () => {
  const afterApproval = () =>
    blockedDeployment(8, fragmentJson('deployment-approvals.fragment.txt'));

  it('approving records the approval with its comment, then plays the job once every approval is in', async () => {
    let approved = false;
    gitlab.server.route(`POST ${API}/deployments/42/approval`, () => {
      approved = true;
      return { body: fixtureJson('gitlab', 'deployment-approval.json') };
    });
    gitlab.server.route(`GET ${API}/deployments/42`, () => ({
      body: approved ? afterApproval() : blockedDeployment(8),
    }));
    const source = gitlab.source();
    await poll(source);

    const answer = await source.decideGate(deployGate, 'approve', 'Looks good to me', {});

    expect(answer).toEqual({
      actor: 'security-user-1',
      message:
        'Approved the deployment of deploy-production to production (1 of 1 approval) and played the job: it is now pending.',
    });
    const approval = gitlab.requests('POST', `${API}/deployments/42/approval`)[0];
    expect(JSON.parse(approval?.body ?? '{}')).toEqual({
      status: 'approved',
      comment: 'Looks good to me',
    });
    const order = gitlab.server.requests
      .filter((request) => request.method === 'POST' || request.path.endsWith('/deployments/42'))
      .map((request) => `${request.method} ${request.path.replace(API, '')}`);
    expect(order).toEqual([
      'POST /api/graphql',
      'POST /api/graphql',
      'GET /deployments/42',
      'POST /deployments/42/approval',
      'GET /deployments/42',
      'POST /jobs/8/play',
    ]);
  });

  it('an approval that is not the last says who is still missing and plays nothing', async () => {
    gitlab.server.route(`POST ${API}/deployments/42/approval`, () => ({
      body: fixtureJson('gitlab', 'deployment-approval.json'),
    }));
    gitlab.server.route(`GET ${API}/deployments/42`, () => ({ body: blockedDeployment(8) }));
    const source = gitlab.source();
    await poll(source);

    const answer = await source.decideGate(deployGate, 'approve', '', {});
    expect(answer.message).toBe(
      'Approved the deployment of deploy-production to production (1 of 3 approvals); it still needs approvals from qa-group (0 of 1), security-group (1 of 2), then the job must be played.',
    );
    expect(gitlab.requests('POST', `${API}/jobs/8/play`)).toHaveLength(0);
  });

  it('rejecting records the rejection; GitLab fails the job', async () => {
    gitlab.server.route(`POST ${API}/deployments/42/approval`, () => ({
      body: { ...fixtureJson<object>('gitlab', 'deployment-approval.json'), status: 'rejected' },
    }));
    const answer = await gitlab.source().decideGate(deployGate, 'reject', 'freeze week', {});
    expect(answer.message).toBe(
      'Rejected the deployment of deploy-production to production; GitLab fails the job.',
    );
    const sent = JSON.parse(
      gitlab.requests('POST', `${API}/deployments/42/approval`)[0]?.body ?? '{}',
    );
    expect(sent).toEqual({ status: 'rejected', comment: 'freeze week' });
  });

  it('someone who may not approve is told so in words', async () => {
    gitlab.server.route(`POST ${API}/deployments/42/approval`, () => ({
      status: 403,
      body: { message: '403 Forbidden' },
    }));
    const problem = await failure(() => gitlab.source().decideGate(deployGate, 'approve', '', {}));
    expect(problem.kind).toBe('forbidden');
    expect(problem.message).toMatch(
      /^GitLab did not let you approve the deployment of deploy-production to production: you are not an approver for environment production\./,
    );
    expect(problem.message).not.toContain(TOKEN);
  });

  it('an approval given in GitLab shows at the next poll, without reading the pipeline again', async () => {
    const source = gitlab.source();
    const first = await poll(source);
    const gateOf = (snapshot: typeof first) =>
      snapshot.builds.find((build) => build.externalId === '48')?.gates[0];
    expect(gateOf(first)?.detail).toMatch(/^1 of 3 approvals/);

    gitlab.server.route(`GET ${API}/deployments`, () => ({ body: [afterApproval()] }));
    const second = await poll(source);

    expect(gateOf(second)).toMatchObject({
      state: 'waiting',
      detail: expect.stringMatching(/^Approved \(last by project_6_bot\); waiting to be played\./),
    });
    expect(gitlab.requests('GET', `${API}/pipelines/48/jobs`)).toHaveLength(1);
  });

  it('with every approval in, approving only plays the job', async () => {
    gitlab.server.route(`GET ${API}/deployments`, () => ({ body: [afterApproval()] }));
    const answer = await gitlab.source().decideGate(deployGate, 'approve', '', {});
    expect(answer.message).toBe('Played deploy-production: it is now pending.');
    expect(gitlab.requests('POST', `${API}/deployments/42/approval`)).toHaveLength(0);
  });
});

describe('a newer candidate at the same manual job', () => {
  it('expires the older pipeline’s waiting gate so the inbox holds the newest', async () => {
    gitlab.server.route(`GET ${API}/deployments`, () => ({ body: [] }));
    const source = gitlab.source();
    await poll(source);

    const newer = {
      ...pipelineOf(48),
      id: 50,
      iid: 15,
      status: 'manual',
      updated_at: '2016-08-13T09:00:00.000Z',
    };
    gitlab.server.route(`GET ${API}/pipelines`, () => ({ body: [newer] }));
    gitlab.server.route(`GET ${API}/pipelines/50`, () => ({ body: newer }));
    gitlab.server.route(`GET ${API}/pipelines/50/jobs`, () => ({
      body: deployJobs().map((job) => ({ ...job, id: job.id + 100 })),
    }));
    const second = await poll(source);

    const gates = Object.fromEntries(
      second.builds.map((build) => [build.number, build.gates.map((gate) => gate.state)]),
    );
    // #12 is still pending, so it is read again too; it has no gate.
    expect(gates).toEqual({ 12: [], 13: ['expired'], 15: ['waiting'] });
    expect(second.builds.find((build) => build.number === 13)?.gates[0]?.detail).toBe(
      'Superseded: the newer pipeline #15 on new-pipeline has this manual job too.',
    );
    expect(await source.readGate(deployGate)).toMatchObject({ state: 'expired' });
  });

  it('keeps every candidate waiting when supersedeWaitingGates is off', async () => {
    gitlab.server.route(`GET ${API}/deployments`, () => ({ body: [] }));
    const source = gitlab.source({ supersedeWaitingGates: false });
    await poll(source);
    const newer = {
      ...pipelineOf(48),
      id: 50,
      iid: 15,
      status: 'manual',
      updated_at: '2016-08-13T09:00:00.000Z',
    };
    gitlab.server.route(`GET ${API}/pipelines`, () => ({ body: [newer] }));
    gitlab.server.route(`GET ${API}/pipelines/50`, () => ({ body: newer }));
    gitlab.server.route(`GET ${API}/pipelines/50/jobs`, () => ({
      body: deployJobs().map((job) => ({ ...job, id: job.id + 100 })),
    }));
    const second = await poll(source);
    expect(second.builds.map((build) => build.number).sort()).toEqual([12, 15]);
    expect(second.builds.find((build) => build.number === 15)?.gates[0]?.state).toBe('waiting');
  });
});

describe('GitLab build actions', () => {
  it('retries a job, retries a pipeline’s failed jobs and cancels a pipeline', async () => {
    gitlab.server.route(`POST ${API}/jobs/8/retry`, () => ({
      body: { ...jobFixture(), id: 9, status: 'pending' },
    }));
    gitlab.server.route(`POST ${API}/pipelines/46/retry`, () => ({
      body: fixtureJson('gitlab', 'pipeline-retry-response.json'),
    }));
    gitlab.server.route(`POST ${API}/pipelines/46/cancel`, () => ({
      body: fixtureJson('gitlab', 'pipeline-cancel-response.json'),
    }));
    const source = gitlab.source();
    const build = { pipelineExternalId: '21', buildExternalId: '46' };

    expect(source.capabilities).toEqual(['rerun-failed', 'cancel-build', 'retry-stage']);
    expect(await source.retryStage?.({ ...build, stageExternalId: '8' })).toEqual({
      message: 'Job rubocop runs again as job 9; it is now pending.',
    });
    expect(await source.rerunBuild?.(build, 'failed')).toEqual({
      message: 'GitLab retries the failed and cancelled jobs of pipeline #11; it is now pending.',
    });
    expect(await source.cancelBuild?.(build)).toEqual({
      message: 'Asked GitLab to cancel pipeline #11; it is now canceled.',
    });
  });
});
