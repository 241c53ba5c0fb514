import { createHash } from 'node:crypto';
import {
  startFakeProvider,
  type FakeAnswer,
  type FakeHandler,
  type FakeProvider,
  type SeenRequest,
} from '../support/fake-provider';
import { fixtureJson } from '../support/provider-fixtures';
import { createGitlabSource } from '../../src/main/sources/gitlab/gitlab-source';
import { gitlabOptionsSchema } from '../../src/main/sources/gitlab/gitlab-options';
import type { GitlabJob, GitlabPipeline } from '../../src/main/sources/gitlab/gitlab-wire';
import type { CiSource, PollSnapshot } from '../../src/main/sources/source';
import {
  blockedDeployment,
  jobFixture,
  pipelineFixture,
  pipelineJobsFixture,
  pipelineListFixture,
  projectLike,
} from '../unit/gitlab-fixtures';

export const TOKEN = 'glpat-Sup3rSecretToken';
export const API = '/api/v4/projects/21';
export const NOW = Date.parse('2026-03-01T12:00:00Z');

/** Answers with an ETag and a 304 for a request that sends it back, counting the 304s. */
export function withEtag(body: unknown, counter: { notModified: number }): FakeHandler {
  const etag = `W/"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;
  return (request: SeenRequest): FakeAnswer => {
    if (request.headers['if-none-match'] === etag) {
      counter.notModified += 1;
      return { status: 304, headers: { ETag: etag } };
    }
    return { body, headers: { ETag: etag } };
  };
}

/** The list's pipelines 47 (#12) and 48 (#13), in full: `pipeline.json` with the list's fields. */
export function pipelineOf(id: number): GitlabPipeline {
  const item = pipelineListFixture().find((candidate) => candidate.id === id);
  return { ...pipelineFixture(), ...item, project_id: 21 } as GitlabPipeline;
}

/** Pipeline 48's jobs: compile, then deploy-production (job.json as a manual job, id 8). */
export function deployJobs(): GitlabJob[] {
  return [
    { ...jobFixture(), id: 5, name: 'compile', stage: 'build', status: 'success' },
    {
      ...jobFixture(),
      id: 8,
      name: 'deploy-production',
      stage: 'deploy',
      status: 'manual',
      started_at: null,
      finished_at: null,
    },
  ];
}

export function graphAnswer(): unknown {
  return {
    data: {
      project: {
        pipeline: {
          stages: { nodes: [{ name: 'build' }, { name: 'test' }, { name: 'deploy' }] },
          jobs: {
            nodes: [
              { name: 'compile', schedulingType: 'stage', manualJob: false, needs: { nodes: [] } },
              // `needs: []`: the deploy job may start at once, without waiting for compile.
              {
                name: 'deploy-production',
                schedulingType: 'dag',
                manualJob: true,
                needs: { nodes: [] },
              },
            ],
          },
        },
      },
    },
  };
}

export interface FakeGitlab {
  server: FakeProvider;
  counter: { notModified: number };
  source(options?: Record<string, unknown>, token?: string | null): CiSource;
  requests(method: string, path: string): SeenRequest[];
}

/**
 * A fake gitlab.com on 127.0.0.1 serving the documented payloads for project 21
 * (test-group/test-project): pipelines 47 and 48, pipeline 48 waiting at a manual deploy job.
 */
export async function startFakeGitlab(): Promise<FakeGitlab> {
  const counter = { notModified: 0 };
  const server = await startFakeProvider({
    'GET /api/v4/projects/test-group%2Ftest-project': () => ({ body: projectLike() }),
    [`GET ${API}/pipelines`]: withEtag(pipelineListFixture(), counter),
    [`GET ${API}/pipelines/47`]: withEtag(pipelineOf(47), counter),
    [`GET ${API}/pipelines/48`]: withEtag({ ...pipelineOf(48), status: 'manual' }, counter),
    [`GET ${API}/pipelines/47/jobs`]: withEtag(pipelineJobsFixture(), counter),
    [`GET ${API}/pipelines/48/jobs`]: withEtag(deployJobs(), counter),
    [`GET ${API}/pipelines/47/bridges`]: withEtag([], counter),
    [`GET ${API}/pipelines/48/bridges`]: withEtag([], counter),
    [`GET ${API}/deployments`]: withEtag([blockedDeployment(8)], counter),
    'POST /api/graphql': () => ({ body: graphAnswer() }),
    'GET /api/v4/user': () => ({ body: jobFixture().user }),
  });
  return {
    server,
    counter,
    source: (options = {}, token: string | null = TOKEN) =>
      createGitlabSource({
        options: gitlabOptionsSchema.parse({ projects: ['test-group/test-project'], ...options }),
        baseUrl: server.url,
        token: () => token,
        now: () => NOW,
        timeoutMs: 5_000,
      }),
    requests: (method, path) =>
      server.requests.filter((request) => request.method === method && request.path === path),
  };
}

export function poll(source: CiSource, known: string[] = []): Promise<PollSnapshot> {
  return source.poll({ signal: new AbortController().signal, knownFinishedBuilds: new Set(known) });
}

export const deployGate = { pipelineExternalId: '21', buildExternalId: '48', gateExternalId: '8' };

/** What a SourceError thrown by `action` says. */
export async function failure(
  action: () => Promise<unknown>,
): Promise<{ kind: string; message: string; retryAt: number | null }> {
  try {
    await action();
  } catch (error) {
    const { kind, message, retryAt } = error as {
      kind: string;
      message: string;
      retryAt: number | null;
    };
    return { kind, message, retryAt };
  }
  throw new Error('expected a failure');
}

export { fixtureJson };
