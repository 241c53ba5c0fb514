import { describe, expect, it } from 'vitest';
import {
  mapBuild,
  NO_GATE_KNOWLEDGE,
  type GateKnowledge,
} from '../../src/main/sources/gitlab/map-build';
import {
  approvalProgress,
  approvalsComplete,
  mapGate,
  type GateInput,
} from '../../src/main/sources/gitlab/map-gates';
import { findSuperseded } from '../../src/main/sources/gitlab/superseded-gates';
import type { GitlabDeployment, GitlabJob } from '../../src/main/sources/gitlab/gitlab-wire';
import { fixtureJson } from '../support/provider-fixtures';
import {
  blockedDeployment,
  fragmentJson,
  jobFixture,
  jobLike,
  pipelineData,
  pipelineFixture,
  pipelineListFixture,
} from './gitlab-fixtures';

/** job.json (id 8) with only `status` changed to manual, as the fixtures README suggests. */
const manualJob = (overrides: Partial<GitlabJob> = {}): GitlabJob => ({
  ...jobFixture(),
  status: 'manual',
  started_at: null,
  finished_at: null,
  ...overrides,
});

const gate = (input: Partial<GateInput> & { job: GitlabJob }) =>
  mapGate({ knownManual: false, deployment: null, reachedAt: null, supersededBy: null, ...input });

describe('a plain manual job', () => {
  it('is a waiting gate that says approving plays it and GitLab cannot reject it', () => {
    expect(gate({ job: manualJob(), reachedAt: '2015-12-24T17:50:00.000Z' })).toEqual({
      externalId: '8',
      stageExternalId: '8',
      name: 'rubocop',
      environment: null,
      state: 'waiting',
      canDecide: null,
      approvers: [],
      waitingSince: '2015-12-24T17:50:00.000Z',
      expiresAt: null,
      decidedBy: null,
      decidedAt: null,
      comment: null,
      fields: [],
      detail:
        'Manual job: the pipeline waits until someone plays it. Approving plays it; GitLab has no way to reject a manual job.',
    });
  });

  it('says so when the pipeline does not wait for it (allow_failure)', () => {
    expect(gate({ job: manualJob({ allow_failure: true }) })?.detail).toMatch(
      /^Optional manual job \(the pipeline does not wait for it\)/,
    );
  });

  it('once played (the documented play answer: pending) is an approved gate', () => {
    const played: GitlabJob = fixtureJson('gitlab', 'job-play-response.json');
    const withPlayer = {
      ...played,
      user: jobFixture().user,
      started_at: '2016-01-11T10:14:00.000Z',
    };
    expect(gate({ job: withPlayer, knownManual: true })).toMatchObject({
      state: 'approved',
      decidedBy: 'root',
      decidedAt: '2016-01-11T10:14:00.000Z',
      detail: 'Played by root.',
    });
  });

  it('a job never seen as manual that runs is no gate at all', () => {
    expect(gate({ job: jobFixture() })).toBeNull();
  });

  it('a manual job cancelled with its pipeline before anyone played it has expired', () => {
    const cancelled: GitlabJob = fixtureJson('gitlab', 'job-cancel-response.json');
    expect(gate({ job: { ...cancelled, started_at: null }, knownManual: true })?.state).toBe(
      'expired',
    );
  });

  it('in a build the manual stage waits and the stages after it are queued, not blocked', () => {
    const jobs = [
      jobLike({ id: 3, name: 'compile', stage: 'build', status: 'success' }),
      manualJob({ id: 8, name: 'deploy-production', stage: 'deploy' }),
      jobLike({ id: 9, name: 'smoke', stage: 'verify', status: 'created', started_at: null }),
    ];
    const build = mapBuild(
      pipelineData(jobs, { pipeline: { ...pipelineFixture(), status: 'manual' } }),
      NO_GATE_KNOWLEDGE,
    );
    expect(build.status).toBe('waiting');
    expect(build.stages.map((stage) => [stage.name, stage.status, stage.isGate])).toEqual([
      ['compile', 'success', false],
      ['deploy-production', 'waiting', true],
      ['smoke', 'queued', false],
    ]);
    expect(build.gates).toHaveLength(1);
    expect(build.gates[0]?.waitingSince).toBe(jobFixture().finished_at);
  });
});

describe('a deployment waiting for approvals', () => {
  const summary = blockedDeployment(8);

  it('counts approvals per rule from approval_summary (security-group approved once)', () => {
    expect(approvalProgress(summary)).toMatchObject({
      given: 1,
      required: 3,
      missing: ['qa-group (0 of 1)', 'security-group (1 of 2)'],
      approvers: ['qa-group', 'security-group'],
    });
  });

  it('is a waiting gate for production: "1 of 3 approvals; the job must then be played"', () => {
    const snapshot = gate({
      job: manualJob(),
      deployment: { deployment: summary, stillBlocked: true },
    });
    expect(snapshot).toMatchObject({
      state: 'waiting',
      environment: 'production',
      approvers: ['qa-group', 'security-group'],
      waitingSince: '2016-08-11T11:32:35.444Z',
      detail:
        '1 of 3 approvals (missing: qa-group (0 of 1), security-group (1 of 2)) to deploy to production; the job must then be played.',
    });
  });

  it('with every approval in (pending_approval_count 0) says it waits to be played', () => {
    const approved = blockedDeployment(8, fragmentJson('deployment-approvals.fragment.txt'));
    const state = { deployment: approved, stillBlocked: true };
    expect(approvalsComplete(state)).toBe(true);
    expect(gate({ job: manualJob(), deployment: state })).toMatchObject({
      state: 'waiting',
      detail:
        'Approved (last by project_6_bot); waiting to be played. Approving plays the job that deploys to production.',
    });
  });

  it('that left the blocked list (older servers: approved → created) is approved, waiting to be played', () => {
    const state = { deployment: summary, stillBlocked: false };
    expect(gate({ job: manualJob(), deployment: state })?.detail).toMatch(
      /^Approved \(last by security-user-1\); waiting to be played/,
    );
  });

  it('without Premium approval fields still waits, without counts', () => {
    const plain: GitlabDeployment = { ...blockedDeployment(8, {}), approval_summary: null };
    expect(
      gate({ job: manualJob(), deployment: { deployment: plain, stillBlocked: true } })?.detail,
    ).toBe('Waiting for approvals to deploy to production; the job must then be played.');
  });

  it('rejected (the job failed with deployment_rejected) is a rejected gate with who and why', () => {
    const rejection = {
      ...fixtureJson<Record<string, unknown>>('gitlab', 'deployment-approval.json'),
      status: 'rejected',
      comment: 'Not during the freeze',
    };
    const rejected = blockedDeployment(8, {
      approvals: [rejection] as GitlabDeployment['approvals'],
    });
    const job = { ...jobFixture(), failure_reason: 'deployment_rejected' };
    expect(gate({ job, deployment: { deployment: rejected, stillBlocked: false } })).toMatchObject({
      state: 'rejected',
      decidedBy: 'security-user-1',
      comment: 'Not during the freeze',
      detail: 'Deployment rejected by security-user-1; GitLab failed the job.',
    });
  });
});

describe('superseded manual jobs', () => {
  const [older, newer] = pipelineListFixture();
  const deployIn = (pipelineId: number, jobId: number, played: Partial<GitlabJob> = {}) =>
    pipelineData([manualJob({ id: jobId, name: 'deploy', stage: 'deploy', ...played })], {
      pipeline: { ...pipelineFixture(), ...older!, id: pipelineId, iid: pipelineId - 35 },
    });

  it('the older of two pipelines of ref new-pipeline waiting at "deploy" is expired', () => {
    const first = deployIn(older!.id, 100);
    const second = deployIn(newer!.id, 200);
    const superseded = findSuperseded([second, first]);
    expect([...superseded]).toEqual([[100, { number: 13, ref: 'new-pipeline' }]]);

    const knowledge: GateKnowledge = { ...NO_GATE_KNOWLEDGE, superseded };
    const build = mapBuild(first, knowledge);
    expect(build.gates[0]).toMatchObject({
      state: 'expired',
      detail: 'Superseded: the newer pipeline #13 on new-pipeline has this manual job too.',
    });
    expect(build.stages[0]?.status).toBe('skipped');
    expect(mapBuild(second, knowledge).gates[0]?.state).toBe('waiting');
  });

  it('a newer pipeline that already played "deploy" supersedes too; other refs do not', () => {
    const played = deployIn(newer!.id, 200, {
      status: 'success',
      started_at: '2016-08-12T10:08:00.000Z',
    });
    const otherRef = deployIn(49, 300);
    otherRef.pipeline = { ...otherRef.pipeline, ref: 'main' };
    expect([...findSuperseded([deployIn(older!.id, 100), played, otherRef]).keys()]).toEqual([100]);
  });
});
