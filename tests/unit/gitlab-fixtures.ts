import { fixtureJson, fixtureText } from '../support/provider-fixtures';
import type {
  GitlabDeployment,
  GitlabJob,
  GitlabPipeline,
  GitlabPipelineListItem,
  GitlabProject,
} from '../../src/main/sources/gitlab/gitlab-wire';
import type { PipelineData } from '../../src/main/sources/gitlab/map-build';

/**
 * GitLab's documented example payloads (tests/fixtures/providers/gitlab) and variants derived
 * from them by changing named fields only: the docs have no manual job, no blocked deployment
 * and no multi-stage pipeline, so those are built from the real job and deployment examples.
 */

export const pipelineFixture = (): GitlabPipeline => fixtureJson('gitlab', 'pipeline.json');
export const pipelineListFixture = (): GitlabPipelineListItem[] =>
  fixtureJson('gitlab', 'pipelines-list.json');
export const pipelineJobsFixture = (): GitlabJob[] => fixtureJson('gitlab', 'pipeline-jobs.json');
export const jobFixture = (): GitlabJob => fixtureJson('gitlab', 'job.json');
export const deploymentFixture = (): GitlabDeployment => fixtureJson('gitlab', 'deployment.json');

/**
 * The `*.fragment.txt` files are the docs' shortened examples (`...` lines): read them leniently
 * by dropping those lines and the commas they leave dangling.
 */
export function fragmentJson<T = unknown>(file: string): T {
  const text = fixtureText('gitlab', file)
    .split('\n')
    .filter((line) => line.trim() !== '...')
    .join('\n')
    .replace(/,(\s*[}\]])/g, '$1');
  return JSON.parse(text) as T;
}

/** `job.json` with some fields changed: a job of another name, stage or status. */
export function jobLike(overrides: Partial<GitlabJob> & { id: number }): GitlabJob {
  return { ...jobFixture(), ...overrides };
}

/** A deployment waiting for approval: `deployment.json` made `blocked` for a given job. */
export function blockedDeployment(
  jobId: number,
  approvals: Partial<GitlabDeployment> = fragmentJson('deployment-approval-summary.fragment.txt'),
): GitlabDeployment {
  const deployment = deploymentFixture();
  return {
    ...deployment,
    ...approvals,
    status: 'blocked',
    deployable: {
      ...deployment.deployable,
      id: jobId,
      status: 'manual',
    } as GitlabDeployment['deployable'],
  };
}

/** A project as `GET /projects/:id` answers (no example in the fixtures; only the fields used). */
export function projectLike(
  webUrl = 'http://127.0.0.1:3000/test-group/test-project',
): GitlabProject {
  return {
    id: 21,
    name: 'test-project',
    name_with_namespace: 'Test Group / Test Project',
    path_with_namespace: 'test-group/test-project',
    web_url: webUrl,
  };
}

/** The Catalog-like pipeline 287 (#144): build → test → deploy, from the real payloads. */
export function pipelineData(
  jobs: GitlabJob[],
  overrides: Partial<PipelineData> = {},
): PipelineData {
  return {
    watched: { externalId: '21', project: projectLike(), ref: null },
    pipeline: pipelineFixture(),
    jobs,
    bridges: [],
    graph: null,
    ...overrides,
  };
}
