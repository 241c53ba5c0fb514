import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../src/shared/status';
import { mapBuild, mapPipeline, NO_GATE_KNOWLEDGE } from '../../src/main/sources/gitlab/map-build';
import type { PipelineGraph } from '../../src/main/sources/gitlab/map-graph';
import {
  GITLAB_STATUSES,
  mapJobStatus,
  mapPipelineStatus,
} from '../../src/main/sources/gitlab/map-status';
import type { BuildSnapshot } from '../../src/main/sources/source';
import {
  jobLike,
  pipelineData,
  pipelineFixture,
  pipelineJobsFixture,
  projectLike,
} from './gitlab-fixtures';

const statusesByName = (build: BuildSnapshot) =>
  Object.fromEntries(build.stages.map((stage) => [stage.name, stage.status]));
const needsByName = (build: BuildSnapshot) => {
  const names = new Map(build.stages.map((stage) => [stage.externalId, stage.name]));
  return Object.fromEntries(
    build.stages.map((stage) => [stage.name, stage.needs.map((id) => names.get(id))]),
  );
};

/** build → test (the two real failed jobs) → deploy, derived from job.json. */
function catalogJobs() {
  const [rspec, teaspoon] = pipelineJobsFixture();
  return [
    jobLike({ id: 3, name: 'compile', stage: 'build', status: 'success' }),
    rspec!,
    teaspoon!,
    jobLike({
      id: 9,
      name: 'deploy-production',
      stage: 'deploy',
      status: 'skipped',
      started_at: null,
      finished_at: null,
    }),
  ];
}

describe('GitLab statuses', () => {
  it('maps every documented pipeline and job status into the one vocabulary', () => {
    const pipeline = Object.fromEntries(GITLAB_STATUSES.map((s) => [s, mapPipelineStatus(s)]));
    expect(pipeline).toEqual({
      created: 'queued',
      waiting_for_resource: 'queued',
      preparing: 'queued',
      pending: 'queued',
      running: 'running',
      success: 'success',
      failed: 'failed',
      canceled: 'cancelled',
      canceling: 'running',
      skipped: 'skipped',
      manual: 'waiting',
      scheduled: 'queued',
    });
    for (const status of GITLAB_STATUSES) expect(STATUSES).toContain(mapJobStatus(status));
    expect(mapJobStatus('manual')).toBe('waiting');
  });

  it('maps a status a newer server invents to unknown instead of guessing', () => {
    expect(mapPipelineStatus('stalled')).toBe('unknown');
    expect(mapJobStatus('')).toBe('unknown');
  });
});

describe('a GitLab pipeline as a build', () => {
  it('pipeline 287 is build #144 on main, pushed by root, with its times and page', () => {
    const build = mapBuild(pipelineData(pipelineJobsFixture()), NO_GATE_KNOWLEDGE);
    const pipeline = pipelineFixture();

    expect(build).toMatchObject({
      pipelineExternalId: '21',
      externalId: '287',
      number: 144,
      attempt: 1,
      status: 'success',
      branch: 'main',
      commitSha: '50f0acb76a40e34a4ff304f7347dcc6587da8a14',
      commitMessage: 'Test the CI integration.',
      author: 'root',
      trigger: 'push',
      createdAt: '2022-09-21T01:05:07.200Z',
      startedAt: '2022-09-21T01:05:14.197Z',
      finishedAt: '2022-09-21T01:05:50.175Z',
      webUrl: pipeline.web_url,
      gates: [],
    });
  });

  it('the two documented jobs are stages of stage "test", in name order, with logs', () => {
    const build = mapBuild(pipelineData(pipelineJobsFixture()), NO_GATE_KNOWLEDGE);

    expect(build.stages).toEqual([
      expect.objectContaining({
        externalId: '6',
        name: 'rspec:other',
        position: 0,
        status: 'failed',
        needs: [],
        hasLog: true,
        isGate: false,
        webUrl: 'https://example.com/foo/bar/-/jobs/6',
        startedAt: '2015-12-24T17:54:24.729Z',
        finishedAt: '2015-12-24T17:54:24.921Z',
        steps: [],
      }),
      expect.objectContaining({ externalId: '7', name: 'teaspoon', position: 1, status: 'failed' }),
    ]);
  });

  it('uses the pipeline id as the number when the server sends no iid', () => {
    const data = pipelineData([], { pipeline: { ...pipelineFixture(), iid: null } });
    expect(mapBuild(data, NO_GATE_KNOWLEDGE).number).toBe(287);
  });

  it('without GraphQL each job needs every job of the previous stage (stage order from job ids)', () => {
    const build = mapBuild(pipelineData(catalogJobs()), NO_GATE_KNOWLEDGE);

    expect(build.stages.map((stage) => stage.name)).toEqual([
      'compile',
      'rspec:other',
      'teaspoon',
      'deploy-production',
    ]);
    expect(needsByName(build)).toEqual({
      compile: [],
      'rspec:other': ['compile'],
      teaspoon: ['compile'],
      'deploy-production': ['rspec:other', 'teaspoon'],
    });
  });

  it('a job skipped because tests failed is blocked, not skipped', () => {
    const build = mapBuild(pipelineData(catalogJobs()), NO_GATE_KNOWLEDGE);
    expect(statusesByName(build)).toEqual({
      compile: 'success',
      'rspec:other': 'failed',
      teaspoon: 'failed',
      'deploy-production': 'blocked',
    });
  });

  it('a failure that is allowed blocks nothing: the later job stays skipped', () => {
    const jobs = catalogJobs().map((job) =>
      job.stage === 'test' ? { ...job, allow_failure: true } : job,
    );
    const build = mapBuild(pipelineData(jobs), NO_GATE_KNOWLEDGE);
    expect(statusesByName(build)['deploy-production']).toBe('skipped');
  });

  it('takes needs and stage order from GraphQL: a DAG job waits only for what it names', () => {
    const graph: PipelineGraph = {
      stageOrder: ['build', 'test', 'deploy'],
      jobs: new Map([
        ['compile', { schedulingType: 'stage', manualJob: false, needs: [] }],
        ['rspec:other', { schedulingType: 'dag', manualJob: false, needs: [] }],
        ['teaspoon', { schedulingType: 'dag', manualJob: false, needs: ['compile'] }],
        ['deploy-production', { schedulingType: 'dag', manualJob: true, needs: ['teaspoon'] }],
      ]),
    };
    const build = mapBuild(pipelineData(catalogJobs(), { graph }), NO_GATE_KNOWLEDGE);

    expect(needsByName(build)).toEqual({
      compile: [],
      'rspec:other': [],
      teaspoon: ['compile'],
      'deploy-production': ['teaspoon'],
    });
    // GraphQL knows deploy-production is a manual job even before the pipeline reaches it.
    expect(build.stages.find((stage) => stage.name === 'deploy-production')?.isGate).toBe(true);
  });

  it('GraphQL stage order wins over job ids (a stage whose jobs were all retried)', () => {
    const jobs = [
      jobLike({ id: 50, name: 'compile', stage: 'build', status: 'success' }),
      jobLike({ id: 10, name: 'unit', stage: 'test', status: 'success' }),
    ];
    const graph: PipelineGraph = { stageOrder: ['build', 'test'], jobs: new Map() };
    const withGraph = mapBuild(pipelineData(jobs, { graph }), NO_GATE_KNOWLEDGE);
    const without = mapBuild(pipelineData(jobs), NO_GATE_KNOWLEDGE);

    expect(withGraph.stages.map((stage) => stage.name)).toEqual(['compile', 'unit']);
    expect(without.stages.map((stage) => stage.name)).toEqual(['unit', 'compile']);
  });

  it('a need on a parallel job links every one of its instances', () => {
    const jobs = [
      jobLike({ id: 1, name: 'rspec 1/2', stage: 'test', status: 'success' }),
      jobLike({ id: 2, name: 'rspec 2/2', stage: 'test', status: 'success' }),
      jobLike({ id: 3, name: 'report', stage: 'report', status: 'success' }),
    ];
    const graph: PipelineGraph = {
      stageOrder: ['test', 'report'],
      jobs: new Map([['report', { schedulingType: 'dag', manualJob: false, needs: ['rspec'] }]]),
    };
    const build = mapBuild(pipelineData(jobs, { graph }), NO_GATE_KNOWLEDGE);
    expect(needsByName(build).report).toEqual(['rspec 1/2', 'rspec 2/2']);
  });

  it('a trigger job is a stage whose page is the downstream pipeline and that has no log', () => {
    const bridge = jobLike({
      id: 70,
      name: 'deploy-docs',
      stage: 'deploy',
      status: 'success',
      downstream_pipeline: {
        id: 5,
        status: 'success',
        web_url: 'https://example.com/docs/pipelines/5',
      },
    });
    const build = mapBuild(
      pipelineData(pipelineJobsFixture(), { bridges: [bridge] }),
      NO_GATE_KNOWLEDGE,
    );
    const stage = build.stages.find((candidate) => candidate.name === 'deploy-docs');

    expect(stage).toMatchObject({
      webUrl: 'https://example.com/docs/pipelines/5',
      hasLog: false,
      needs: ['6', '7'],
    });
  });

  it('a job not yet started has no log to open', () => {
    const build = mapBuild(
      pipelineData([
        jobLike({ id: 1, name: 'unit', stage: 'test', status: 'pending', started_at: null }),
      ]),
      NO_GATE_KNOWLEDGE,
    );
    expect(build.stages[0]).toMatchObject({ status: 'queued', hasLog: false });
  });
});

describe('a watched project as a pipeline', () => {
  it('is named by its namespace, narrowed to a ref when the config says so', () => {
    const project = projectLike('https://gitlab.example.com/test-group/test-project');
    expect(mapPipeline({ externalId: '21', project, ref: null })).toEqual({
      externalId: '21',
      name: 'Test Group / Test Project',
      webUrl: 'https://gitlab.example.com/test-group/test-project/-/pipelines',
    });
    expect(mapPipeline({ externalId: '21@main', project, ref: 'main' })).toEqual({
      externalId: '21@main',
      name: 'Test Group / Test Project (main)',
      webUrl: 'https://gitlab.example.com/test-group/test-project/-/pipelines?ref=main',
    });
  });
});
